/**
 * Immutable tags, decided: a tag that matches a rule (its repository and its name) and exists may
 * be pushed again only with the digest it already points to, and neither it nor what it holds (its
 * manifest, an index's entries, their blobs) may be deleted. Pure: the storage finds the tags a
 * write would move or break, inside the write's transaction, and these functions say no with the
 * message a client shows.
 */
import { registryError } from '../registry-errors.js';
import type { WriteGuard } from '../storage/tag-holders.js';
import type { ImmutableTagRule } from './registry-policy.js';

/** A tag of a repository and the manifest it points to. */
export interface TagPointer {
  tag: string;
  digest: string;
}

/** What a delete removes: a tag, a manifest by digest, or a blob. */
export type DeleteTarget = { kind: 'tag'; tag: string } | { kind: 'manifest' | 'blob'; digest: string };

/** The first rule that makes `repository:tag` immutable, or undefined. */
export function immutableRuleOf(rules: readonly ImmutableTagRule[], repository: string, tag: string): ImmutableTagRule | undefined {
  return rules.find((rule) => rule.repositories.matches(repository) && rule.tags.matches(tag));
}

/** `rule repositories "prod/**", tags "v*"` (`rule "release": …` when named). */
export function describeImmutableRule(rule: ImmutableTagRule): string {
  return `rule ${rule.name === undefined ? '' : `"${rule.name}": `}repositories "${rule.repositories.text}", tags "${rule.tags.text}"`;
}

function immutable(repository: string, tag: string, rule: ImmutableTagRule): string {
  return `${repository}:${tag} is immutable (${describeImmutableRule(rule)})`;
}

/**
 * Why pointing `repository:tag` at `next` is refused (it points at `current`, undefined when the
 * tag does not exist yet), or undefined when it is allowed: a new tag, the same digest again (an
 * idempotent push), or a tag no rule makes immutable.
 */
export function retagRefusal(rules: readonly ImmutableTagRule[], repository: string, tag: string, current: string | undefined, next: string): string | undefined {
  if (current === undefined || current === next) return undefined;
  const rule = immutableRuleOf(rules, repository, tag);
  return rule === undefined ? undefined : `${immutable(repository, tag, rule)}: it points to ${current}; push a new tag`;
}

/**
 * Why a delete is refused, or undefined: `holders` are the tags it would remove or break (the
 * deleted tag; the tags whose manifest is, or holds, the deleted manifest or blob). The first
 * immutable one is named.
 */
export function deleteRefusal(rules: readonly ImmutableTagRule[], repository: string, target: DeleteTarget, holders: readonly TagPointer[]): string | undefined {
  for (const holder of holders) {
    const rule = immutableRuleOf(rules, repository, holder.tag);
    if (rule === undefined) continue;
    if (target.kind === 'tag') return `${immutable(repository, holder.tag, rule)}: it cannot be deleted`;
    const how = holder.digest === target.digest ? 'points to it' : `points to ${holder.digest}, which holds it`;
    return `${target.kind} ${repository}@${target.digest} cannot be deleted: ${immutable(repository, holder.tag, rule)} and ${how}`;
  }
  return undefined;
}

/**
 * The storage's guard of a write to `repository` (a push, or a delete of `target`): a refusal is
 * `DENIED` (403). Undefined when no rule names the repository (nothing to check).
 */
export function immutabilityGuard(rules: readonly ImmutableTagRule[], repository: string, target?: DeleteTarget): WriteGuard | undefined {
  const applying = rules.filter((rule) => rule.repositories.matches(repository));
  if (applying.length === 0) return undefined;
  return {
    retag: (tag, current, next) => {
      const why = retagRefusal(applying, repository, tag, current, next);
      if (why !== undefined) throw registryError('DENIED', why, { name: repository, tag, digest: current });
    },
    remove: (holders) => {
      const why = target === undefined ? undefined : deleteRefusal(applying, repository, target, holders);
      if (why !== undefined) throw registryError('DENIED', why, { name: repository });
    },
  };
}
