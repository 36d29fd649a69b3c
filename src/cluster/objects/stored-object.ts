/**
 * How the cluster's objects are kept in the store: a stored value is the
 * object's JSON without a meaningful `version` (it may be missing or stale); the object's version
 * is the StoredObject's. Reading parses with the object model's schema and sets the version from
 * the store; writing drops `version` from the value.
 */
import type { z } from 'zod';
import { errors } from '../../base/errors.js';
import type { JsonValue, StoredObject } from '../store/cluster-store.js';

/** The object of a stored value, with its id and version from the store (the key's, not the value's); undefined (and a log line) when it does not parse. */
export function decodeObject<T>(schema: z.ZodType<T>, stored: StoredObject, log: (message: string) => void): T | undefined {
  const value = stored.value;
  const fields = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  const parsed = schema.safeParse({ ...fields, id: stored.id, version: stored.version });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  log(`skipping ${stored.kind}/${stored.id}: not a valid ${stored.kind} (${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'})`);
  return undefined;
}

/** The object of a stored value, as `decodeObject`; data-loss (`corrupt-object`) when it does not parse. */
export function readStoredObject<T>(schema: z.ZodType<T>, stored: StoredObject): T {
  let problem = '';
  const object = decodeObject(schema, stored, (message) => { problem = message; });
  if (object === undefined) throw errors.dataLoss('corrupt-object', problem);
  return object;
}

/** The value to store for an object: its JSON without `version`. */
export function encodeObject(object: { readonly version: number }): JsonValue {
  const { version: _version, ...rest } = object;
  return JSON.parse(JSON.stringify(rest)) as JsonValue;
}
