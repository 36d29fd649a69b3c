/**
 * Docker's volume filters, as dockerd applies them. `GET /volumes`: `dangling` (`true`/`1` or
 * `false`/`0`; true wins), `name` (an equal value or a regular expression found in it), `driver`,
 * `label` (every value holds). `POST /volumes/prune`: `label`, `label!` (a volume is kept when
 * every `label!` value holds for it) and `all`. Pure.
 */
import type { VolumeRecord } from '../volumes/volume-record.js';
import { checkFilterKeys, invalidFilterValue, matchLabels, matchPattern, type Filters } from './filter-args.js';

const LIST_FILTERS = ['dangling', 'name', 'driver', 'label'];
const PRUNE_FILTERS = ['label', 'label!', 'all'];

function isTrue(value: string): boolean {
  return value === 'true' || value === '1';
}

function danglingFilter(values: readonly string[] | undefined): boolean | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (values.some(isTrue)) return true;
  if (values.some((v) => v === 'false' || v === '0')) return false;
  throw invalidFilterValue('dangling', values);
}

/**
 * The predicate of a list's `filters` (`users`: who uses each volume, for `dangling`). Throws
 * invalid-argument (`invalid-filter`) for a key or value dockerd refuses.
 */
export function volumeFilter(filters: Filters, users: ReadonlyMap<string, string[]>): (volume: VolumeRecord) => boolean {
  checkFilterKeys(filters, LIST_FILTERS);
  const dangling = danglingFilter(filters.get('dangling'));
  const drivers = filters.get('driver') ?? [];
  return (volume) => (dangling === undefined || dangling === !users.has(volume.name))
    && matchPattern(filters.get('name'), volume.name)
    && (drivers.length === 0 || drivers.includes(volume.driver))
    && matchLabels(filters.get('label'), volume.labels);
}

/** The predicate of a prune's `filters` (`all` is prunesAll's). Throws invalid-argument for other keys. */
export function volumePruneFilter(filters: Filters): (volume: VolumeRecord) => boolean {
  checkFilterKeys(filters, PRUNE_FILTERS);
  const excluded = filters.get('label!') ?? [];
  return (volume) => matchLabels(filters.get('label'), volume.labels)
    && (excluded.length === 0 || !matchLabels(excluded, volume.labels));
}

/**
 * Whether a prune takes every unused volume, or only anonymous ones: the `all` filter says so;
 * without it, API versions before 1.42 (the `/v1.xx/` prefix of `url`) prune all, as dockerd does.
 */
export function prunesAll(url: string, filters: Filters): boolean {
  const all = filters.get('all');
  if (all !== undefined) return all.some(isTrue);
  const version = /^\/v(\d+)\.(\d+)\//.exec(url);
  return version !== null && Number(version[1]) === 1 && Number(version[2]) < 42;
}
