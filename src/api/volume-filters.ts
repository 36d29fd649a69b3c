/** Docker's volume filters (`GET /volumes`, `POST /volumes/prune`). Pure. */
import { errors } from '../base/errors.js';
import type { VolumeRecord } from '../volumes/volume-record.js';

const FILTERS = new Set(['dangling', 'name', 'label', 'label!', 'driver', 'all']);

function labelMatches(labels: Record<string, string>, filter: string): boolean {
  const at = filter.indexOf('=');
  return at < 0 ? filter in labels : labels[filter.slice(0, at)] === filter.slice(at + 1);
}

function isTrue(value: string): boolean {
  return value === 'true' || value === '1';
}

/**
 * The predicate of `filters` (`users`: who uses each volume, for `dangling`). Throws
 * invalid-argument (`invalid-filter`) for a filter Docker does not have.
 */
export function volumeFilter(filters: ReadonlyMap<string, string[]>, users: ReadonlyMap<string, string[]>): (volume: VolumeRecord) => boolean {
  for (const key of filters.keys()) if (!FILTERS.has(key)) throw errors.invalidArgument('invalid-filter', `invalid filter '${key}'`);
  const any = (key: string, predicate: (value: string) => boolean): boolean => {
    const values = filters.get(key);
    return values === undefined || values.some(predicate);
  };
  return (volume) => any('dangling', (v) => isTrue(v) === !users.has(volume.name))
    && any('name', (v) => volume.name.includes(v))
    && any('driver', (v) => volume.driver === v)
    && (filters.get('label') ?? []).every((v) => labelMatches(volume.labels, v))
    && !(filters.get('label!') ?? []).some((v) => labelMatches(volume.labels, v));
}

/**
 * Whether a prune takes every unused volume, or only anonymous ones: the `all` filter says so;
 * without it, API versions before 1.42 (the `/v1.xx/` prefix of `url`) prune all, as dockerd does.
 */
export function prunesAll(url: string, filters: ReadonlyMap<string, string[]>): boolean {
  const all = filters.get('all');
  if (all !== undefined) return all.some(isTrue);
  const version = /^\/v(\d+)\.(\d+)\//.exec(url);
  return version !== null && Number(version[1]) === 1 && Number(version[2]) < 42;
}
