import { z } from 'zod';
import { errors } from '../../base/errors.js';
import { labelsSchema, objectIdSchema, objectMetaSchema } from './object-meta.js';

/**
 * Secrets and configs (Swarm's): named blobs (less than 500 KiB, a config 1000 KiB) that services mount into their
 * tasks as files. A secret's data is stored sealed (AES-256-GCM under a cluster data key, see
 * trust/secret-sealing.ts) and never shown again; a config's data is stored plain and shown, as
 * Swarm does. Both are immutable but for their labels: a new value is a new object.
 */

/** Swarm's limits on a secret's and a config's data: less than this many bytes. */
export const MAX_FILE_OBJECT_BYTES: Readonly<Record<'secret' | 'config', number>> = { secret: 500 * 1024, config: 1000 * 1024 };

/** Swarm's names: letters, digits, `-`, `_`, `.`, starting and ending with a letter or digit; at most 64. */
export const fileObjectNameSchema = z.string().max(64, { error: 'a name is at most 64 characters' }).regex(/^[A-Za-z0-9]+(?:[A-Za-z0-9_.-]*[A-Za-z0-9])?$/, {
  error: 'a name has only letters, digits, "-", "_" and ".", and starts and ends with a letter or digit',
});

const NAME_RULE = 'invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]';

export const fileObjectSpecSchema = z.object({
  name: fileObjectNameSchema,
  labels: labelsSchema.default({}),
});
export type FileObjectSpec = z.infer<typeof fileObjectSpecSchema>;
export type FileObjectSpecInput = z.input<typeof fileObjectSpecSchema>;

/** Data sealed under a data key: the key's id, the 96-bit nonce and the ciphertext with its tag (base64). */
export const sealedDataSchema = z.object({
  keyId: z.string().min(1),
  nonce: z.string().min(1),
  ciphertext: z.string(),
});
export type SealedData = z.infer<typeof sealedDataSchema>;

export const secretSchema = objectMetaSchema.extend({ spec: fileObjectSpecSchema, sealed: sealedDataSchema });
export type Secret = z.infer<typeof secretSchema>;

export const configSchema = objectMetaSchema.extend({ spec: fileObjectSpecSchema, data: z.base64() });
export type Config = z.infer<typeof configSchema>;

export const FILE_OBJECT_KINDS = ['secret', 'config'] as const;
export type FileObjectKind = (typeof FILE_OBJECT_KINDS)[number];

const fileModeSchema = z.number().int().min(0).max(0o7777);
const numericIdSchema = z.string().regex(/^\d+$/, { error: 'a uid or gid is a number' });

/**
 * A service's use of a secret or config: which one (by id once the manager resolved it; the name
 * is kept for display), and the file the task gets: `target` (a secret's file name under
 * /run/secrets, or an absolute path; a config's path, default `/<name>`), owner and mode.
 */
export const fileReferenceSchema = z.object({
  /** Empty until the manager resolved `name`. */
  id: z.union([objectIdSchema, z.literal('')]).default(''),
  name: fileObjectNameSchema,
  target: z.string().min(1).refine((t) => !t.split('/').includes('..'), { error: 'a target has no ".." part' }),
  uid: numericIdSchema.default('0'),
  gid: numericIdSchema.default('0'),
  mode: fileModeSchema.default(0o444),
});
export type FileReference = z.infer<typeof fileReferenceSchema>;

/** Where a task's container sees a referenced file. */
export function fileTargetPath(kind: FileObjectKind, target: string): string {
  if (target.startsWith('/')) return target;
  return kind === 'secret' ? `/run/secrets/${target}` : `/${target}`;
}

/**
 * Checks data against Swarm's bounds (at least 1 byte, less than 500 KiB for a secret, 1000 KiB for a config): invalid-argument
 * `<kind>-too-large` or `<kind>-empty`, in swarmkit's words.
 */
export function checkFileObjectSize(kind: FileObjectKind, name: string, data: Uint8Array): void {
  const max = MAX_FILE_OBJECT_BYTES[kind];
  if (data.length >= max || data.length === 0) {
    const reason = data.length === 0 ? `${kind}-empty` : `${kind}-too-large`;
    throw errors.invalidArgument(reason, `${kind} data must be larger than 0 and less than ${max} bytes`, { details: { field: 'Data', name, bytes: data.length } });
  }
}

/** A spec from untrusted input: invalid-argument `invalid-<kind>-spec` naming the field. */
export function parseFileObjectSpec(kind: FileObjectKind, value: unknown): FileObjectSpec {
  const parsed = fileObjectSpecSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  // swarmkit's words for a bad name (what the docker CLI shows).
  const message = field === 'name' ? NAME_RULE : `${kind} spec: field ${field === '' ? '(spec)' : field}: ${issue?.message ?? 'invalid'}`;
  throw errors.invalidArgument(`invalid-${kind}-spec`, message, { details: { field } });
}
