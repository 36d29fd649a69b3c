import type { OsvAffected, OsvEvent, OsvRange } from './osv-schema.js';
import { compareSemver } from './versions/semver-version.js';
import type { VersionComparator } from './versions/ecosystem-versions.js';

export interface AffectedVerdict {
  affected: boolean;
  /** The lowest fixed version above the installed one, when a range names one. */
  fixed?: string;
}

const versionOf = (e: OsvEvent): string => ('introduced' in e ? e.introduced : 'fixed' in e ? e.fixed : 'last_affected' in e ? e.last_affected : e.limit);

function sortEvents(events: OsvEvent[], compare: VersionComparator): OsvEvent[] {
  const isZero = (e: OsvEvent): boolean => 'introduced' in e && e.introduced === '0';
  return [...events].sort((a, b) => (isZero(a) ? -1 : isZero(b) ? 1 : compare(versionOf(a), versionOf(b))));
}

/**
 * One OSV range, as the OSV schema's evaluation says: walk the events in version order;
 * `introduced` (or "0") at or below the version makes it affected, a `fixed` or `limit` at or
 * below it (or a `last_affected` below it) makes it not affected again.
 */
export function evaluateRange(range: OsvRange, version: string, ecosystemCompare: VersionComparator): AffectedVerdict {
  if (range.type === 'GIT') return { affected: false };
  const compare = range.type === 'SEMVER' ? compareSemver : ecosystemCompare;
  let affected = false;
  for (const event of sortEvents(range.events, compare)) {
    if ('introduced' in event) {
      if (event.introduced === '0' || compare(version, event.introduced) >= 0) affected = true;
    } else if ('fixed' in event) {
      if (compare(version, event.fixed) >= 0) affected = false;
    } else if ('last_affected' in event) {
      if (compare(version, event.last_affected) > 0) affected = false;
    } else if (compare(version, event.limit) >= 0) {
      affected = false;
    }
  }
  if (!affected) return { affected };
  const fixes = range.events.flatMap((e) => ('fixed' in e && compare(e.fixed, version) > 0 ? [e.fixed] : [])).sort(compare);
  return fixes[0] === undefined ? { affected } : { affected, fixed: fixes[0] };
}

/** Whether an `affected[]` entry covers a version: through its explicit `versions` or any range. */
export function evaluateAffected(entry: OsvAffected, version: string, compare: VersionComparator): AffectedVerdict {
  let result: AffectedVerdict = { affected: false };
  for (const range of entry.ranges ?? []) {
    const verdict = evaluateRange(range, version, compare);
    if (!verdict.affected) continue;
    if (!result.affected || (verdict.fixed !== undefined && (result.fixed === undefined || compare(verdict.fixed, result.fixed) < 0))) result = verdict;
  }
  if (!result.affected && (entry.versions ?? []).some((v) => v === version || compare(v, version) === 0)) result = { affected: true };
  return result;
}
