/** Query parameters of the Swarm routes as dockerd reads them. */
import { errors } from '../base/errors.js';
import { queryString, type Query } from './query.js';

/**
 * `?version=` of an update: an unsigned 64-bit integer, else dockerd's 400
 * (`invalid node version '…': strconv.ParseUint: …`). Beyond 2^53−1 no object has that version:
 * the update is then out of sequence, so the largest safe integer stands for it.
 */
export function updateVersion(query: Query, object: 'swarm' | 'node' | 'service' | 'secret' | 'config'): number {
  const raw = queryString(query, 'version') ?? '';
  const digits = /^\d+$/.test(raw);
  if (!digits || BigInt(raw) >= 2n ** 64n) {
    const why = digits ? 'value out of range' : 'invalid syntax';
    // dockerd words a secret's and a config's bad version without the parser's error.
    if (object === 'secret' || object === 'config') throw errors.invalidArgument('invalid-version', `invalid ${object} version`);
    throw errors.invalidArgument('invalid-version', `invalid ${object} version '${raw}': strconv.ParseUint: parsing "${raw}": ${why}`);
  }
  return Math.min(Number(raw), Number.MAX_SAFE_INTEGER);
}
