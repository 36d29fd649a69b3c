/**
 * Reads a file of a container's root filesystem from the host without letting the image escape:
 * the path is resolved as chrooted in the root (path-in-root.ts).
 */
import { lstat, readFile } from 'node:fs/promises';
import { errnoCode } from '../base/errors.js';
import { resolveInRoot } from './path-in-root.js';

/**
 * The text of the file at `path` inside `root`, or undefined when it does not exist (or is not a
 * regular file). Throws as resolveInRoot, and read errors other than ENOENT.
 */
export async function readFileInRoot(root: string, path: string): Promise<string | undefined> {
  const hostPath = await resolveInRoot(root, path);
  try {
    if (!(await lstat(hostPath)).isFile()) return undefined;
    return await readFile(hostPath, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}
