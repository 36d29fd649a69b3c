import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RegistryGlob } from './registry-glob.js';
import type { ImmutableTagRule } from './registry-policy.js';
import { deleteRefusal, immutabilityGuard, immutableRuleOf, retagRefusal } from './tag-immutability.js';

const rule = (repositories: string, tags: string, name?: string): ImmutableTagRule => ({ repositories: new RegistryGlob(repositories), tags: new RegistryGlob(tags), ...(name !== undefined && { name }) });
const RULES = [rule('prod/**', 'v*'), rule('team/app', 'release-?', 'releases')];
const OLD = `sha256:${'a'.repeat(64)}`;
const NEW = `sha256:${'b'.repeat(64)}`;

describe('immutable tags', () => {
  it('finds the rule by repository and tag', () => {
    assert.equal(immutableRuleOf(RULES, 'prod/app', 'v1'), RULES[0]);
    assert.equal(immutableRuleOf(RULES, 'prod/app', 'latest'), undefined);
    assert.equal(immutableRuleOf(RULES, 'dev/app', 'v1'), undefined);
    assert.equal(immutableRuleOf(RULES, 'team/app', 'release-1'), RULES[1]);
  });

  it('a new tag and the same digest again are allowed; another digest is refused with the rule', () => {
    assert.equal(retagRefusal(RULES, 'prod/app', 'v1', undefined, NEW), undefined);
    assert.equal(retagRefusal(RULES, 'prod/app', 'v1', OLD, OLD), undefined);
    assert.equal(retagRefusal(RULES, 'prod/app', 'latest', OLD, NEW), undefined);
    assert.equal(retagRefusal(RULES, 'prod/app', 'v1', OLD, NEW), `prod/app:v1 is immutable (rule repositories "prod/**", tags "v*"): it points to ${OLD}; push a new tag`);
    assert.equal(retagRefusal(RULES, 'team/app', 'release-2', OLD, NEW), `team/app:release-2 is immutable (rule "releases": repositories "team/app", tags "release-?"): it points to ${OLD}; push a new tag`);
  });

  it('deletes of an immutable tag, its manifest, or what its manifest holds are refused', () => {
    assert.equal(deleteRefusal(RULES, 'prod/app', { kind: 'tag', tag: 'v1' }, [{ tag: 'v1', digest: OLD }]), 'prod/app:v1 is immutable (rule repositories "prod/**", tags "v*"): it cannot be deleted');
    assert.equal(deleteRefusal(RULES, 'prod/app', { kind: 'tag', tag: 'latest' }, [{ tag: 'latest', digest: OLD }]), undefined);
    assert.equal(deleteRefusal(RULES, 'prod/app', { kind: 'manifest', digest: OLD }, [{ tag: 'latest', digest: OLD }, { tag: 'v1', digest: OLD }]),
      `manifest prod/app@${OLD} cannot be deleted: prod/app:v1 is immutable (rule repositories "prod/**", tags "v*") and points to it`);
    assert.equal(deleteRefusal(RULES, 'prod/app', { kind: 'blob', digest: NEW }, [{ tag: 'v1', digest: OLD }]),
      `blob prod/app@${NEW} cannot be deleted: prod/app:v1 is immutable (rule repositories "prod/**", tags "v*") and points to ${OLD}, which holds it`);
    assert.equal(deleteRefusal(RULES, 'prod/app', { kind: 'manifest', digest: OLD }, []), undefined);
  });

  it('the storage guard throws DENIED, and is absent where no rule names the repository', () => {
    assert.equal(immutabilityGuard(RULES, 'dev/app'), undefined);
    const guard = immutabilityGuard(RULES, 'prod/app', { kind: 'tag', tag: 'v1' });
    assert.throws(() => guard?.retag?.('v1', OLD, NEW), { reason: 'DENIED', kind: 'permission-denied' });
    assert.doesNotThrow(() => guard?.retag?.('v1', OLD, OLD));
    assert.throws(() => guard?.remove?.([{ tag: 'v1', digest: OLD }]), /cannot be deleted/);
  });
});
