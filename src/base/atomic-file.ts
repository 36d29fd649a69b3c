import { open, rename, mkdir, unlink } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { componentLogger, warnUnlessErrno } from './logger.js';

const log = componentLogger('base');

/** A temp name next to `path`, recognisable by its `.tmp-` prefix so a restart can clean leftovers. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.tmp-${basename(path)}-${randomBytes(6).toString('hex')}`);
}

/** fsync a directory so that a rename inside it survives a crash. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `data` to `path` so that a crash leaves either the old file or the new one, never a
 * half-written file: temp file in the same directory, fsync, rename, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string, mode = 0o644): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    // The write's own error is the one thrown; a temp file left behind is only logged.
    await unlink(temp).catch(warnUnlessErrno(['ENOENT'], log, 'removing the temp file of a failed write', { path: temp }));
    throw err;
  }
  await handle.close();
  await rename(temp, path);
  await syncDirectory(dirname(path));
}
