/**
 * Key layout and checks shared by the store implementations: `<prefix><kind>/<id>` (default
 * prefix `/berth/`), id and value validation, and the errors every implementation raises alike.
 */
import { errors, type BerthError } from '../../base/errors.js';
import type { ClusterObjectKind, Expectation, JsonValue, StoreWrite } from './cluster-store.js';

export const DEFAULT_STORE_PREFIX = '/berth/';

const KINDS: ReadonlySet<string> = new Set<ClusterObjectKind>(['cluster', 'node', 'service', 'service-name', 'task', 'plan', 'network', 'network-pool', 'secret', 'secret-name', 'config', 'config-name', 'published-port', 'network-policy', 'network-policy-name']);
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function validateId(id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw errors.invalidArgument('invalid-object-id', `object id ${JSON.stringify(id)}: use 1-128 letters, digits, '_', '.', '-' (starting with a letter or digit)`);
  }
}

export function objectKey(prefix: string, kind: ClusterObjectKind, id: string): string {
  validateId(id);
  return `${prefix}${kind}/${id}`;
}

export function kindPrefix(prefix: string, kind: ClusterObjectKind): string {
  return `${prefix}${kind}/`;
}

/** The kind and id of a key below the prefix, or undefined for a key the store does not own. */
export function parseKey(prefix: string, key: string): { kind: ClusterObjectKind; id: string } | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const rest = key.slice(prefix.length);
  const slash = rest.indexOf('/');
  const kind = rest.slice(0, slash);
  const id = rest.slice(slash + 1);
  if (slash < 0 || !KINDS.has(kind) || !ID_PATTERN.test(id)) return undefined;
  return { kind: kind as ClusterObjectKind, id };
}

/** The JSON text of a value to write; invalid-argument when it is not plain JSON. */
export function encodeValue(kind: ClusterObjectKind, id: string, value: JsonValue): string {
  const text = JSON.stringify(value) as string | undefined;
  if (text === undefined) throw errors.invalidArgument('invalid-object-value', `${kind}/${id}: the value is not JSON`);
  return text;
}

/** A stored value; data-loss when the bytes are not JSON (something else wrote below the prefix). */
export function decodeValue(kind: ClusterObjectKind, id: string, text: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (cause) {
    throw errors.dataLoss('corrupt-object', `${kind}/${id}: the stored value is not JSON`, { cause });
  }
}

/** Rejects a transaction that names one object twice or has nothing in it. */
export function validateWrites(writes: readonly StoreWrite[]): void {
  if (writes.length === 0) throw errors.invalidArgument('empty-transaction', 'a transaction needs at least one write or check');
  const seen = new Set<string>();
  for (const write of writes) {
    validateId(write.id);
    const name = `${write.kind}/${write.id}`;
    if (seen.has(name)) throw errors.invalidArgument('duplicate-object', `${name} appears twice in one transaction`);
    seen.add(name);
    if (write.expect !== 'absent' && (!Number.isSafeInteger(write.expect) || write.expect <= 0)) {
      throw errors.invalidArgument('invalid-version', `${name}: expected version ${write.expect} is not a positive integer`);
    }
  }
}

function describe(expect: Expectation): string {
  return expect === 'absent' ? 'absent' : `at version ${expect}`;
}

/** conflict (`stale-version`): the object is not as the writer expected. */
export function staleVersion(kind: ClusterObjectKind, id: string, expect: Expectation, actual: number | undefined): BerthError {
  const now = actual === undefined ? 'it does not exist' : `it is at version ${actual}`;
  return errors.conflict('stale-version', `${kind}/${id}: expected ${describe(expect)}, but ${now}`, {
    details: { kind, id, expected: expect, actual: actual ?? 'absent' },
  });
}

/** failed-precondition (`leadership-lost`): a fenced write by a leader that no longer leads. */
export function leadershipLost(key: string): BerthError {
  return errors.failedPrecondition('leadership-lost', `the leadership behind this write (${key}) has ended`, { details: { key } });
}

/** failed-precondition (`revision-compacted`): a watch below the compacted revision. */
export function revisionCompacted(fromRevision: number, compactRevision?: number): BerthError {
  const at = compactRevision === undefined ? '' : ` (compacted up to ${compactRevision})`;
  return errors.failedPrecondition('revision-compacted', `cannot watch from revision ${fromRevision}: history compacted${at}; list again and watch from the listing`, {
    details: { fromRevision, ...(compactRevision === undefined ? {} : { compactRevision }) },
  });
}

/** Whether an object at `actual` (undefined: absent) meets an expectation. */
export function meets(expect: Expectation, actual: number | undefined): boolean {
  return expect === 'absent' ? actual === undefined : actual === expect;
}
