/**
 * Reads a file of a container's root filesystem from the host without letting the image escape:
 * symlinks are resolved by hand, relative to `root` (an absolute link target means `root`'s top,
 * `..` never climbs above it), as if the process were chrooted.
 */
import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from './errors.js';

const MAX_LINKS = 40;

/** The host path of `path` inside `root`, with every symlink resolved inside `root`. */
export async function resolveInRoot(root: string, path: string): Promise<string> {
  const pending = path.split('/').filter((part) => part !== '' && part !== '.');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = join(root, ...resolved, part);
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    if (!isLink) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_LINKS) throw errors.invalidArgument('too-many-links', `${path}: too many levels of symbolic links in ${root}`);
    const target = await readlink(candidate);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...target.split('/').filter((p) => p !== '' && p !== '.'));
  }
  return join(root, ...resolved);
}

/** The file's text, or undefined when it does not exist (or is not a regular file). */
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
