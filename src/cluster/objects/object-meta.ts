import { z } from 'zod';

/**
 * What every stored cluster object carries: a stable id, a version for optimistic concurrency and
 * its creation and last-update times (RFC 3339, UTC).
 *
 * `version` is the store's revision of the object as it was read. A writer sends the version it
 * read back with its change; the store refuses the change (conflict) when the object has moved on
 * since, so a writer that is behind re-reads and retries instead of overwriting.
 */
export const objectIdSchema = z.string().regex(/^[a-z0-9]{1,64}$/, { error: 'an id is 1–64 lowercase letters or digits' });

export const objectMetaSchema = z.object({
  id: objectIdSchema,
  version: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ObjectMeta = z.infer<typeof objectMetaSchema>;

/** User-set key=value labels (node labels, service and container labels). */
export const labelsSchema = z.record(
  z.string().min(1, { error: 'a label key is not empty' }).max(255).regex(/^[^=\s]+$/, { error: 'a label key has no "=" or whitespace' }),
  z.string().max(4096),
);
export type Labels = z.infer<typeof labelsSchema>;

const nonNegativeInt = z.number().int().nonnegative();

/** CPU (in billionths of a CPU, as Swarm's NanoCPUs) and memory in bytes. */
export const resourceAmountsSchema = z.object({
  nanoCpus: nonNegativeInt.default(0),
  memoryBytes: nonNegativeInt.default(0),
});
export type ResourceAmounts = z.infer<typeof resourceAmountsSchema>;

/** One CPU in the unit of `nanoCpus`. */
export const NANO_CPUS_PER_CPU = 1_000_000_000;
