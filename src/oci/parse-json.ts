import type { z } from 'zod';
import { errors } from '../base/errors.js';

/**
 * Parses untrusted JSON bytes against a schema. Throws invalid-argument (reason `invalid-json` or
 * `invalid-document`) whose message names `what` and the first offending field.
 */
export function parseJson<S extends z.ZodType>(schema: S, bytes: Uint8Array | string, what: string): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (cause) {
    throw errors.invalidArgument('invalid-json', `${what}: not valid JSON`, { cause });
  }
  return parseSchema(schema, value, what);
}

/** Checks an already parsed value (an API body) against a schema; throws as parseJson. */
export function parseSchema<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(document)';
    throw errors.invalidArgument('invalid-document', `${what}: field ${field}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}
