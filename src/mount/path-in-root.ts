/**
 * Paths inside a root as if chrooted: every symlink is resolved inside the root (an absolute
 * target means the root's top, `..` never climbs above it), at most MAX_SYMLINKS links per path.
 * One walk (`chrootWalk`, no I/O) and its drivers over one root directory or a stack of layers.
 */
import { lstat, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';

/** Links followed per path before resolution fails (the kernel's MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;

export interface ResolveOptions {
  /**
   * Resolve a symlink in the last component too (default, as `stat` does). When false the last
   * component is kept as named (as `lstat`, and as runc places a mount target).
   */
  followLast?: boolean;
}

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

/**
 * The resolution of `path` (absolute or not: both start at the root) as a generator without I/O.
 * It yields each entry to look up as its components from the root (the parents already resolved);
 * resume it with that entry's symlink target, or undefined when the entry is no symlink or does
 * not exist (a missing entry or a non-directory parent is the caller's to report when it uses the
 * result). It returns the resolved components. Empty and `.` components are skipped; `..` drops
 * the last resolved component (nothing at the top). Throws invalid-argument `too-many-links`
 * naming `path` and `within` when a path needs more than MAX_SYMLINKS links (a loop, a→b→a).
 */
export function* chrootWalk(path: string, within: string, options: ResolveOptions = {}): Generator<readonly string[], string[], string | undefined> {
  const followLast = options.followLast ?? true;
  const pending = components(path);
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() ?? '';
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const target = !followLast && pending.length === 0 ? undefined : yield [...resolved, part];
    if (target === undefined) {
      resolved.push(part);
      continue;
    }
    if (++links > MAX_SYMLINKS) throw errors.invalidArgument('too-many-links', `${path}: too many levels of symbolic links in ${within}`);
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...components(target));
  }
  return resolved;
}

/**
 * The symlink target of the entry `parts` in the topmost of `layers` that has an entry there,
 * or undefined when that entry is no symlink or no layer has one. Other lstat errors than
 * ENOENT and ENOTDIR are thrown.
 */
async function linkTarget(layers: readonly string[], parts: readonly string[]): Promise<string | undefined> {
  for (const layer of layers) {
    const host = join(layer, ...parts);
    let isLink: boolean;
    try {
      isLink = (await lstat(host)).isSymbolicLink();
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw err;
    }
    return isLink ? readlink(host) : undefined;
  }
  return undefined;
}

async function walk(layers: readonly string[], path: string, within: string, options: ResolveOptions): Promise<string[]> {
  const steps = chrootWalk(path, within, options);
  let step = steps.next();
  while (step.done !== true) step = steps.next(await linkTarget(layers, step.value));
  return step.value;
}

/**
 * The host path of `path` inside the directory `root`, resolved as chrooted (see chrootWalk).
 * The result need not exist. Throws invalid-argument `too-many-links`, and lstat's errors other
 * than ENOENT and ENOTDIR.
 */
export async function resolveInRoot(root: string, path: string, options: ResolveOptions = {}): Promise<string> {
  return join(root, ...(await walk([root], path, root, options)));
}

/**
 * `path` resolved as chrooted in the union of `layers` (directories, topmost first): the topmost
 * layer that has an entry decides whether it is a symlink (whiteouts and opaque directories are
 * not interpreted). Returns the resolved path in the union, absolute (`/a/b`). Errors as
 * resolveInRoot.
 */
export async function resolveInLayers(layers: readonly string[], path: string, options: ResolveOptions = {}): Promise<string> {
  return `/${(await walk(layers, path, `the layers ${layers.join(':')}`, options)).join('/')}`;
}
