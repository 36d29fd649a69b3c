/**
 * Copying files into a mounted root filesystem from the host side without letting anything
 * escape it: every destination path is resolved inside the root (symlinks followed as if
 * chrooted), parents are created one by one, symlinks are copied as links. Also the content hash
 * of what a COPY reads, for its cache key.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, lchown, lstat, lutimes, mkdir, readdir, readlink, rm, symlink, utimes } from 'node:fs/promises';
import { posix } from 'node:path';
import { errnoCode, errors } from '../../base/errors.js';
import { componentLogger, warnUnlessErrno } from '../../base/logger.js';
import { resolveInRoot } from '../../mount/path-in-root.js';

const log = componentLogger('build');

/** ENOENT, ENOTDIR (a parent is no directory): the destination does not exist yet. */
const ABSENT = ['ENOENT', 'ENOTDIR'];

export interface CopyOwnership {
  /** Owner of everything copied; when absent, root (context files) or the source's (`keepOwner`). */
  uid?: number;
  gid?: number;
  keepOwner: boolean;
  /** `--chmod`: mode of every file and directory copied. */
  mode?: number;
}

/** Which entries below a source directory to copy (relative to the source, `/`-separated). */
export type EntryFilter = (relative: string, isDirectory: boolean) => boolean;

/** Creates the directory `path` (absolute, inside `root`) and its missing parents; returns its host path. */
export async function ensureDirectory(root: string, path: string, owner: { uid: number; gid: number } = { uid: 0, gid: 0 }): Promise<string> {
  let current = '/';
  for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
    current = posix.join(current, part);
    const host = await resolveInRoot(root, current);
    const info = await lstat(host).catch((err: unknown) => {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    });
    if (info === undefined) {
      await mkdir(host, { mode: 0o755 });
      await lchown(host, owner.uid, owner.gid);
    } else if (!info.isDirectory()) {
      throw errors.invalidArgument('not-a-directory', `${current} exists in the image and is not a directory`);
    }
  }
  return resolveInRoot(root, path);
}

/**
 * Copies `source` (a host path) to `dest` (absolute, inside `root`): a directory's contents go
 * into `dest`; a file goes to `dest`, or into it when `intoDirectory`.
 */
export async function copyInto(source: string, root: string, dest: string, intoDirectory: boolean, own: CopyOwnership, filter: EntryFilter = () => true): Promise<void> {
  const info = await lstat(source);
  if (info.isDirectory()) {
    await ensureDirectory(root, dest);
    await copyChildren(source, root, dest, '', own, filter);
    return;
  }
  // As Docker: a destination that is a directory in the image takes the file inside it.
  const existing = intoDirectory ? undefined : await lstat(await resolveInRoot(root, dest)).catch(warnUnlessErrno(ABSENT, log, 'looking at a copy destination', { dest }));
  const target = intoDirectory || existing?.isDirectory() === true ? posix.join(dest, posix.basename(source)) : dest;
  await ensureDirectory(root, posix.dirname(target));
  await copyEntry(source, root, target, own);
}

async function copyChildren(sourceDir: string, root: string, destDir: string, relative: string, own: CopyOwnership, filter: EntryFilter): Promise<void> {
  for (const name of (await readdir(sourceDir)).sort()) {
    const rel = relative === '' ? name : `${relative}/${name}`;
    const source = `${sourceDir}/${name}`;
    const info = await lstat(source);
    if (!filter(rel, info.isDirectory())) continue;
    const dest = posix.join(destDir, name);
    await copyEntry(source, root, dest, own);
    if (info.isDirectory()) await copyChildren(source, root, dest, rel, own, filter);
  }
}

async function copyEntry(source: string, root: string, dest: string, own: CopyOwnership): Promise<void> {
  const info = await lstat(source);
  const host = await resolveInRoot(root, dest);
  const existing = await lstat(host).catch(warnUnlessErrno(ABSENT, log, 'looking at a copy destination', { dest }));
  const uid = own.uid ?? (own.keepOwner ? info.uid : 0);
  const gid = own.gid ?? (own.keepOwner ? info.gid : 0);
  const mode = own.mode ?? info.mode & 0o7777;
  if (info.isDirectory()) {
    if (existing === undefined) await mkdir(host);
    else if (!existing.isDirectory()) {
      await rm(host, { force: true });
      await mkdir(host);
    }
    await lchown(host, uid, gid);
    await chmod(host, mode);
    await utimes(host, info.atime, info.mtime);
    return;
  }
  if (existing?.isDirectory() === true) throw errors.invalidArgument('copy-onto-directory', `cannot copy ${source} onto the directory ${dest}`);
  if (existing !== undefined) await rm(host, { force: true });
  if (info.isSymbolicLink()) {
    await symlink(await readlink(source), host);
    await lchown(host, uid, gid);
    await lutimes(host, info.atime, info.mtime);
  } else if (info.isFile()) {
    await copyFile(source, host);
    await lchown(host, uid, gid);
    await chmod(host, mode);
    await utimes(host, info.atime, info.mtime);
  }
  // Devices, fifos and sockets in a build context are skipped, as Docker's tar of the context does.
}

/**
 * A digest of what copying `source` reads: each entry's relative path, type, mode, link target
 * and content (not times or owners, as Docker's classic builder), in a fixed order.
 */
export async function hashSource(source: string, filter: EntryFilter = () => true): Promise<string> {
  const hash = createHash('sha256');
  const visit = async (path: string, relative: string): Promise<void> => {
    const info = await lstat(path);
    hash.update(`${relative}\0${info.mode.toString(8)}\0`);
    if (info.isSymbolicLink()) hash.update(`link\0${await readlink(path)}\0`);
    else if (info.isFile()) {
      const file = createHash('sha256');
      for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) file.update(chunk);
      hash.update(`file\0${info.size}\0${file.digest('hex')}\0`);
    } else if (info.isDirectory()) {
      hash.update('dir\0');
      for (const name of (await readdir(path)).sort()) {
        const rel = relative === '' ? name : `${relative}/${name}`;
        if (filter(rel, (await lstat(`${path}/${name}`)).isDirectory())) await visit(`${path}/${name}`, rel);
      }
    }
  };
  await visit(source, '');
  return hash.digest('hex');
}
