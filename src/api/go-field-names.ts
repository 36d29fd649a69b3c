/**
 * Go's encoding/json matches a JSON key to a struct field case-insensitively when no key matches
 * exactly, and dockerd decodes request bodies that way: `detachKeys` sets `DetachKeys`. Clients
 * rely on it (the Python SDK sends some keys in camel case). These helpers give a body the
 * field names a schema expects before it is validated.
 */
import type { z } from 'zod';

/**
 * A copy of `body` whose keys are renamed to the one of `names` they equal ignoring case, unless
 * the exact name is present too (an exact match wins, as in Go). Anything but a plain object is
 * returned as it is. Pure.
 */
export function withGoFieldNames(body: unknown, names: readonly string[]): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const byLower = new Map(names.map((name) => [name.toLowerCase(), name]));
  const source = body as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const canonical = byLower.get(key.toLowerCase());
    if (canonical === undefined || canonical === key) result[key] = value;
    else if (!(canonical in source)) result[canonical] = value;
  }
  return result;
}

/** `withGoFieldNames` with the keys of an object schema. */
export function withSchemaFieldNames(body: unknown, schema: z.ZodObject): unknown {
  return withGoFieldNames(body, Object.keys(schema.shape));
}
