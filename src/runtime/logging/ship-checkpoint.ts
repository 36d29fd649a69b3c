/**
 * How far a container's spool (conmon's k8s-file) has been copied into its driver's files: the
 * spool's inode and the offset after the last record copied, the driver's current file (inode,
 * size) right after that record's lines, and the unfinished lines held back (json-file). Written
 * atomically after the lines it names are durable, so a crash repeats nothing and loses nothing.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../base/atomic-file.js';
import { errnoCode, errors } from '../../base/errors.js';

const pendingLineSchema = z.object({ timeNs: z.string().regex(/^\d+$/), text: z.string() });

const checkpointSchema = z.object({
  spool: z.object({ ino: z.number().int(), offset: z.number().int().nonnegative() }),
  sink: z.object({ ino: z.number().int(), size: z.number().int().nonnegative() }),
  pending: z.object({ stdout: pendingLineSchema.exactOptional(), stderr: pendingLineSchema.exactOptional() }),
});
export type ShipCheckpoint = z.infer<typeof checkpointSchema>;

/** The checkpoint, or undefined when none was written yet. Throws data-loss (`invalid-log-checkpoint`). */
export async function readCheckpoint(path: string): Promise<ShipCheckpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return checkpointSchema.parse(JSON.parse(text));
  } catch (cause) {
    throw errors.dataLoss('invalid-log-checkpoint', `${path}: not a log checkpoint`, { cause });
  }
}

export async function writeCheckpoint(path: string, checkpoint: ShipCheckpoint): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(checkpoint), 0o600);
}
