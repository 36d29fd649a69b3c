/**
 * `GET /networks` filters as dockerd applies them: `driver` and `scope` exactly, `name` and `id` as
 * patterns (an equal value or a regular expression found in it), `label` with every value holding,
 * `type` `custom` or `builtin` (predefined), `dangling` (one value: `true`/`1` = a network no
 * running container is on and that is not predefined; `false`/`0` the others). Pure.
 */
import { errors } from '../base/errors.js';
import type { NetworkRecord } from '../network/network-store.js';
import { checkFilterKeys, matchLabels, matchPattern, type Filters } from './filter-args.js';

const ACCEPTED = ['driver', 'type', 'name', 'id', 'label', 'scope', 'dangling'];

/** One network with what its filters look at. */
export interface NetworkFacts {
  network: NetworkRecord;
  predefined: boolean;
  /** How many containers are attached now. */
  endpoints: number;
}

function danglingFilter(values: readonly string[] | undefined): boolean | undefined {
  if (values === undefined || values.length === 0) return undefined;
  if (values.length > 1) throw errors.invalidArgument('invalid-filter', 'got more than one value for filter key "dangling"');
  const value = values[0] ?? '';
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw errors.invalidArgument('invalid-filter', 'invalid value for filter \'dangling\', must be "true" (or "1"), or "false" (or "0")');
}

/** The predicate of `filters`. Throws invalid-argument with dockerd's messages for keys and values it refuses. */
export function networkFilter(filters: Filters): (n: NetworkFacts) => boolean {
  checkFilterKeys(filters, ACCEPTED);
  const dangling = danglingFilter(filters.get('dangling'));
  const types = filters.get('type') ?? [];
  for (const type of types) {
    if (type !== 'custom' && type !== 'builtin') throw errors.invalidArgument('invalid-filter', `invalid filter: 'type'='${type}'`);
  }
  const exact = (key: string, value: string): boolean => {
    const values = filters.get(key);
    return values === undefined || values.length === 0 || values.includes(value);
  };
  return ({ network, predefined, endpoints }) => exact('driver', network.driver)
    && exact('scope', network.driver === 'overlay' ? 'swarm' : 'local')
    && matchPattern(filters.get('name'), network.name)
    && matchPattern(filters.get('id'), network.id)
    && matchLabels(filters.get('label'), network.labels)
    && (types.length === 0 || types.includes(predefined ? 'builtin' : 'custom'))
    && (dangling === undefined || dangling === (!predefined && endpoints === 0));
}
