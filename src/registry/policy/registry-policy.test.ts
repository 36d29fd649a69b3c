import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRegistryPolicyFile, parseRegistryPolicy, pullRulesFor, registryPolicySummary } from './registry-policy.js';

const PEM = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n';
const GATE = { pullGate: {} };

function withKeys<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'berth-registry-policy-'));
  try {
    writeFileSync(join(dir, 'cosign.pub'), PEM);
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('parseRegistryPolicy', () => {
  it('reads immutable tag rules and pull rules, keys relative to the file', () => {
    withKeys((dir) => {
      const policy = parseRegistryPolicy([
        'version: 1',
        'immutable_tags:',
        '  - { repositories: "prod/**", tags: "v*" }',
        '  - { name: releases, repositories: team/app, tags: "release-?" }',
        'pull:',
        '  - { name: signed-prod, kind: signed, repositories: "prod/**", keys: [cosign.pub] }',
      ].join('\n'), join(dir, 'policy.yaml'), GATE);
      assert.deepEqual(policy.immutableTags.map((rule) => [rule.name, rule.repositories.text, rule.tags.text]), [[undefined, 'prod/**', 'v*'], ['releases', 'team/app', 'release-?']]);
      assert.equal(policy.pull[0]?.name, 'signed-prod');
      const rule = policy.pull[0];
      assert.deepEqual(rule.kind === 'signed' ? rule.keys : undefined, [{ file: 'cosign.pub', path: join(dir, 'cosign.pub'), pem: PEM }]);
      assert.deepEqual(pullRulesFor(policy, 'prod/team/app').map((rule) => rule.name), ['signed-prod']);
      assert.deepEqual(pullRulesFor(policy, 'dev/app'), []);
      assert.equal(registryPolicySummary(policy), '2 immutable tag rules, 1 pull rule');
    });
  });

  it('an empty file is an empty policy', () => {
    const policy = parseRegistryPolicy('', 'p.yaml');
    assert.deepEqual([policy.immutableTags, policy.pull], [[], []]);
    assert.equal(registryPolicySummary(policy), '0 immutable tag rules, 0 pull rules');
  });

  it('names the file, line, rule and field of an error', () => {
    const text = 'immutable_tags:\n  - { repositories: "prod/**", tags: "v*" }\n  - name: bad\n    repositories: "Prod/*"\n    tags: v*\n';
    assert.throws(() => parseRegistryPolicy(text, 'p.yaml'), {
      kind: 'invalid-argument', reason: 'invalid-registry-policy',
      message: 'p.yaml:4: immutable tag rule "bad" (immutable_tags[1]): field repositories: want a glob of repository names: a-z 0-9 . _ - / and the wildcards * ** ?',
    });
    assert.throws(() => parseRegistryPolicy('immutable_tags:\n  - repositories: a\n    tags: "v/1"\n', 'p.yaml'), /^BerthError: p\.yaml:3: immutable tag rule immutable_tags\[0\]: field tags: want a glob of tags/);
    assert.throws(() => parseRegistryPolicy('immutable_tags:\n  - repositories: a\n', 'p.yaml'), /^BerthError: p\.yaml:2: immutable tag rule immutable_tags\[0\]: field tags: /);
    assert.throws(() => parseRegistryPolicy('immutable_tags:\n  - repositories: a\n    tags: b\n    tag: c\n', 'p.yaml'), /p\.yaml:2: immutable tag rule immutable_tags\[0\]: .*tag/);
    assert.throws(() => parseRegistryPolicy('immutabletags: []\n', 'p.yaml'), /p\.yaml:1: field \(document\): .*immutabletags/);
    assert.throws(() => parseRegistryPolicy('pull: [ {\n', 'p.yaml'), /^BerthError: p\.yaml:\d+: not valid YAML/);
  });

  it('names a bad pull rule: kind, missing or bad key, duplicate name', () => {
    withKeys((dir) => {
      const source = join(dir, 'p.yaml');
      writeFileSync(join(dir, 'not-a-key.txt'), 'hello\n');
      assert.throws(() => parseRegistryPolicy('pull:\n  - kind: notary\n    repositories: a\n', source, GATE), /p\.yaml:2: pull rule pull\[0\]: field kind: missing or unknown pull rule kind \(want signed or vulnerabilities\)/);
      assert.throws(() => parseRegistryPolicy('pull:\n  - name: s\n    kind: signed\n    repositories: a\n    keys:\n      - cosign.pub\n      - missing.pub\n', source, GATE),
        { message: `${source}:7: pull rule "s" (pull[0]): field keys[1]: missing.pub: no such key file` });
      assert.throws(() => parseRegistryPolicy('pull:\n  - { kind: signed, repositories: a, keys: [not-a-key.txt] }\n', source, GATE), /p\.yaml:2: pull rule pull\[0\]: field keys\[0\]: not-a-key\.txt: not a PEM file/);
      assert.throws(() => parseRegistryPolicy('pull:\n  - { kind: signed, repositories: a, keys: ["awskms://k"] }\n', source, GATE), /keys from KMS or URLs are not supported/);
      assert.throws(() => parseRegistryPolicy('pull:\n  - { kind: signed, repositories: a, keys: [] }\n', source, GATE), /p\.yaml:2: pull rule pull\[0\]: field keys: /);
      assert.throws(() => parseRegistryPolicy('pull:\n  - { kind: signed, repositories: a, keys: [cosign.pub] }\n  - { kind: signed, repositories: b, keys: [cosign.pub] }\n', source, GATE),
        /p\.yaml:3: pull rule pull\[1\]: field name: "signed" is also the name of pull\[0\] \(a rule without a name is named after its kind\): give one of them a name$/);
    });
  });

  it('reads a vulnerabilities pull rule and names a bad severity', () => {
    const policy = parseRegistryPolicy('pull:\n  - { name: no-high, kind: vulnerabilities, repositories: "prod/**", severity: HIGH }\n', 'p.yaml', GATE);
    const rule = policy.pull[0];
    assert.deepEqual(rule?.kind === 'vulnerabilities' ? [rule.name, rule.severity, rule.repositories.text] : undefined, ['no-high', 'HIGH', 'prod/**']);
    assert.throws(() => parseRegistryPolicy('pull:\n  - { kind: vulnerabilities, repositories: a, severity: SEVERE }\n', 'p.yaml', GATE), /p\.yaml:2: pull rule pull\[0\]: field severity: /);
  });

  it('a pull rule needs a pull gate; the gate may refuse a key at its line', () => {
    withKeys((dir) => {
      const source = join(dir, 'p.yaml');
      const text = 'pull:\n  - name: prod\n    kind: signed\n    repositories: "prod/**"\n    keys: [cosign.pub]\n';
      assert.throws(() => parseRegistryPolicy(text, source), { message: `${source}:3: pull rule "prod" (pull[0]): field kind: no pull gate is installed in this registry to enforce "signed" rules` });
      const picky = { pullGate: { checkKey: (key: { file: string }): void => { throw new Error(`${key.file}: not an ECDSA key`); } } };
      assert.throws(() => parseRegistryPolicy(text, source, picky), { message: `${source}:5: pull rule "prod" (pull[0]): field keys[0]: cosign.pub: not an ECDSA key` });
    });
  });

  it('a file that cannot be read is named', async () => {
    await assert.rejects(loadRegistryPolicyFile('/nonexistent/policy.yaml'), { reason: 'invalid-registry-policy', message: /^registry policy file \/nonexistent\/policy\.yaml: / });
  });
});
