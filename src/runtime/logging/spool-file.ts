/**
 * The spool: conmon's k8s-file of a json-file or local container, which berthd copies from
 * (log-shipment.ts). Reads only; conmon appends to it, berthd empties it between runs.
 */
import { open, stat } from 'node:fs/promises';
import { errnoCode } from '../../base/errors.js';
import { readCheckpoint } from './ship-checkpoint.js';

/** A file's inode and size (the spool's, a log file's), or undefined when there is none. */
export async function inodeAndSize(path: string): Promise<{ ino: number; size: number } | undefined> {
  try {
    const info = await stat(path);
    return { ino: info.ino, size: info.size };
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/** Up to `length` bytes from `offset`. */
export async function readSpool(path: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Whether the spool has output its checkpoint does not cover, or unfinished lines are held back. */
export async function copyIsBehind(spoolPath: string, checkpointPath: string): Promise<boolean> {
  const spool = await inodeAndSize(spoolPath);
  const checkpoint = await readCheckpoint(checkpointPath);
  if (checkpoint !== undefined && (checkpoint.pending.stdout !== undefined || checkpoint.pending.stderr !== undefined)) return true;
  if (spool === undefined || spool.size === 0) return false;
  return checkpoint === undefined || checkpoint.spool.ino !== spool.ino || checkpoint.spool.offset !== spool.size;
}
