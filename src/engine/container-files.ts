/**
 * The files of a container seen from the host: `diff` (the writable layer's changes), `export`
 * (the whole root filesystem as a tar) and `cp` (one path out as a tar, a tar into a directory).
 * Paths are resolved inside the container's root as if chrooted: symlinks never lead out of it.
 * `cp` sees the container's mounts too (container-file-view.ts); `diff` and `export` see its root
 * filesystem only, as Docker's. A stopped container's root filesystem is mounted for the
 * operation and unmounted after it.
 * With `--userns auto`, ids in the tars are those the container sees, both ways.
 */
import type { Stats } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { basename, dirname, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { errnoCode, errors } from '../base/errors.js';
import { readFileInRoot } from '../mount/read-file-in-root.js';
import { diffDirectory } from '../snapshots/layer-differ.js';
import { unmountAll } from '../mount/mount-table.js';
import { resolveUser } from '../runtime/spec/resolve-user.js';
import { uploadArchive } from './archive-upload.js';
import { uploadDestination } from './archive-upload-destination.js';
import { resolveInView, withFileView, type FileView, type FileViewContext } from './container-file-view.js';
import { isActive, type ContainerRecord } from './container-record.js';
import { mountRootfs } from './container-task.js';
import type { UsernsConfig } from '../runtime/userns/id-ranges.js';
import { unmountViewsBelow } from '../runtime/userns/idmapped-views.js';
import { componentLogger } from '../base/logger.js';
import { lstatIfPresent } from '../base/fs-probe.js';

const log = componentLogger('engine');

/** Docker's description of a path (`X-Docker-Container-Path-Stat`); mode in Go's os.FileMode bits. */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

/**
 * Runs `fn` on the container's mounted root filesystem while no other operation on the container
 * runs. A running container's mount is used as it is; otherwise the rootfs is mounted for `fn`.
 */
export async function withRootfs<T>(ctx: FileViewContext, ref: string, fn: (rootfs: string, record: ContainerRecord) => Promise<T>): Promise<T> {
  return ctx.exclusive(ref, async (record) => {
    if (isActive(record.state)) return fn(ctx.paths.rootfs(record.id), record);
    const rootfs = await mountRootfs(ctx.task, record.id, record.config.userns);
    try {
      return await fn(rootfs, record);
    } finally {
      await unmountAll(ctx.task.runner, rootfs);
      await unmountViewsBelow(ctx.task.runner, ctx.paths.layerViews(record.id));
    }
  });
}

/** `--userns auto`: tar ids are those the container sees, not the host range. */
function idMapOf(record: ContainerRecord): { idMap?: UsernsConfig } {
  return record.config.userns === undefined ? {} : { idMap: record.config.userns };
}

const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_DEVICE = 2 ** 26;
const GO_MODE_NAMED_PIPE = 2 ** 25;
const GO_MODE_SOCKET = 2 ** 24;
const GO_MODE_SETUID = 2 ** 23;
const GO_MODE_SETGID = 2 ** 22;
const GO_MODE_CHAR_DEVICE = 2 ** 21;
const GO_MODE_STICKY = 2 ** 20;

/** A stat's type and mode bits as Go's os.FileMode, which the docker CLI decodes. */
export function goFileMode(stat: Stats): number {
  let mode = stat.mode & 0o777;
  if (stat.isDirectory()) mode += GO_MODE_DIR;
  else if (stat.isSymbolicLink()) mode += GO_MODE_SYMLINK;
  else if (stat.isFIFO()) mode += GO_MODE_NAMED_PIPE;
  else if (stat.isSocket()) mode += GO_MODE_SOCKET;
  else if (stat.isCharacterDevice()) mode += GO_MODE_DEVICE + GO_MODE_CHAR_DEVICE;
  else if (stat.isBlockDevice()) mode += GO_MODE_DEVICE;
  if (stat.mode & 0o4000) mode += GO_MODE_SETUID;
  if (stat.mode & 0o2000) mode += GO_MODE_SETGID;
  if (stat.mode & 0o1000) mode += GO_MODE_STICKY;
  return mode;
}

/** The host path of a container path: its parent resolved inside the view, the last component not followed. */
async function locate(view: FileView, path: string, record: ContainerRecord): Promise<{ hostPath: string; stat: Stats }> {
  if (!path.startsWith('/')) throw errors.invalidArgument('relative-container-path', `path: "${path}" must be absolute`);
  const normalized = posix.normalize(path);
  const followLast = path.endsWith('/') || path.endsWith('/.');
  const hostPath = await resolveInView(view, normalized.replace(/(.)\/$/, '$1'), normalized === '/' || followLast);
  try {
    return { hostPath, stat: await lstat(hostPath) };
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') {
      throw errors.notFound('container-path-not-found', `Could not find the file ${path} in container ${record.name}`);
    }
    throw err;
  }
}

async function pathStat(hostPath: string, stat: Stats, path: string): Promise<PathStat> {
  return {
    name: posix.basename(posix.normalize(path)) || '/',
    size: stat.size,
    mode: goFileMode(stat),
    mtime: stat.mtime.toISOString(),
    linkTarget: stat.isSymbolicLink() ? await readlink(hostPath) : '',
  };
}

/** `HEAD /containers/{id}/archive`: what `path` is. Throws not-found (`container-path-not-found`). */
export async function statContainerPath(ctx: FileViewContext, ref: string, path: string): Promise<PathStat> {
  return withFileView(ctx, ref, async (view, record) => {
    const { hostPath, stat } = await locate(view, path, record);
    return pathStat(hostPath, stat, path);
  });
}

/**
 * `GET /containers/{id}/archive`: `path` as a tar whose entries are named after its last
 * component (`etc/`, `etc/passwd`, …). `consume` reads the tar while the rootfs is mounted.
 */
export async function readContainerPath(ctx: FileViewContext, ref: string, path: string, consume: (stat: PathStat, tar: Readable) => Promise<void>): Promise<void> {
  await withFileView(ctx, ref, async (view, record) => {
    const { hostPath, stat } = await locate(view, path, record);
    // Entries are named after the container path (a mount's source has a name of its own).
    const name = posix.basename(posix.normalize(path)) || basename(hostPath);
    const tar = diffDirectory(dirname(hostPath), { runner: ctx.task.runner, only: basename(hostPath), as: name, ...idMapOf(record) });
    await consume(await pathStat(hostPath, stat, path), tar);
  });
}

/** dockerd's options of `PUT /containers/{id}/archive`. */
export interface WriteContainerPathOptions {
  /** Refuse to replace a directory with a non-directory or back (the docker CLI always asks). */
  noOverwriteDirNonDir?: boolean;
  /** Entries are owned by the container's user (Config.User, resolved in its /etc/passwd) when it has one. */
  copyUIDGID?: boolean;
}

/**
 * `PUT /containers/{id}/archive`: unpacks a tar into the directory `path`, all or nothing
 * (archive-upload.ts; symlinks inside the tar cannot lead writes out of the container's root).
 * Throws not-found for a missing path, invalid-argument (`not-a-directory`) when it is not a
 * directory, and what uploadArchive throws for an unsafe or malformed tar; then nothing changed.
 */
export async function writeContainerPath(ctx: FileViewContext, ref: string, path: string, tar: Readable, options: WriteContainerPathOptions = {}): Promise<void> {
  await withFileView(ctx, ref, async (view, record) => {
    const containerPath = posix.normalize(path.startsWith('/') ? path : `/${path}`).replace(/(.)\/$/, '$1');
    const target = await resolveInView(view, containerPath, true);
    const stat = await lstatIfPresent(target, log); // unreadable counts as missing, its reason logged
    if (stat === undefined) throw errors.notFound('container-path-not-found', `Could not find the file ${path} in container ${record.name}`);
    if (!stat.isDirectory()) throw errors.invalidArgument('not-a-directory', `extraction point is not a directory: ${path}`);
    const user = record.config.options.user ?? '';
    const owner = options.copyUIDGID === true && user !== '' ? await containerUser(view, user) : undefined;
    await uploadArchive(tar, await uploadDestination(view, target), {
      runner: ctx.task.runner,
      ids: { ...idMapOf(record), ...(owner === undefined ? {} : { override: owner }) },
      noOverwriteDirNonDir: options.noOverwriteDirNonDir === true,
      containerPath,
    });
  });
}

/** The ids of the container's user, resolved in its /etc/passwd and /etc/group. */
async function containerUser(view: FileView, user: string): Promise<{ uid: number; gid: number }> {
  const { uid, gid } = resolveUser(user, await readFileInRoot(view.root, '/etc/passwd'), await readFileInRoot(view.root, '/etc/group'));
  return { uid, gid };
}

/** `GET /containers/{id}/export`: the whole root filesystem as a tar, read by `consume` while mounted. */
export async function exportContainer(ctx: FileViewContext, ref: string, consume: (tar: Readable) => Promise<void>): Promise<void> {
  await withRootfs(ctx, ref, async (rootfs, record) => {
    await consume(diffDirectory(rootfs, { runner: ctx.task.runner, ...idMapOf(record) }));
  });
}

/** `cp` and `export` of the engine's containers: each method is the function it names. */
export class ContainerFiles {
  constructor(private readonly ctx: FileViewContext) {}

  /** As `statContainerPath`. */
  stat(ref: string, path: string): Promise<PathStat> {
    return statContainerPath(this.ctx, ref, path);
  }

  /** As `readContainerPath`. */
  read(ref: string, path: string, consume: (stat: PathStat, tar: Readable) => Promise<void>): Promise<void> {
    return readContainerPath(this.ctx, ref, path, consume);
  }

  /** As `writeContainerPath`. */
  write(ref: string, path: string, tar: Readable, options: WriteContainerPathOptions = {}): Promise<void> {
    return writeContainerPath(this.ctx, ref, path, tar, options);
  }

  /** As `exportContainer`. */
  export(ref: string, consume: (tar: Readable) => Promise<void>): Promise<void> {
    return exportContainer(this.ctx, ref, consume);
  }
}
