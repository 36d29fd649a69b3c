/**
 * The directories of `RUN --mount=type=cache`: one per cache id under the state root
 * (`build-cache-mounts/<sha256(id)>/fs`, with `id` naming it), kept across builds and daemon
 * restarts, never part of a layer or a cache key; `prune` (`berth builder prune`) removes the ones
 * no RUN is using. Sharing as BuildKit: `shared` lets any number of RUNs use the directory at once,
 * `locked` makes them take turns, `private` gives a RUN that finds the directory busy another
 * instance (`<sha256(id)>.<n>`) of the same cache. Safe to call concurrently within one process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, chown, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { componentLogger, warnUnlessErrno } from '../base/logger.js';
import type { CacheSharing } from './steps/run-mount-spec.js';

const log = componentLogger('build');

/** ENOENT, ENOTDIR: not there (not made yet, or pruned meanwhile). */
const ABSENT = ['ENOENT', 'ENOTDIR'];

export interface CacheMountLease {
  /** Host directory to bind-mount. */
  path: string;
  /** Gives the directory back (idempotent). */
  release(): void;
}

export interface CacheMountInfo {
  /** The directory's name (sha256 of the id, `.n` for a private instance). */
  name: string;
  id: string;
  createdAt: Date;
  /** Bytes of regular files (hard links once). */
  size: number;
  inUse: boolean;
}

export interface NewCacheDirectory {
  mode: number;
  uid: number;
  gid: number;
  /** Fills a new directory (the `from`/`source` of the mount). */
  seed?: (dir: string) => Promise<void>;
}

export class CacheMountStore {
  private readonly users = new Map<string, number>();
  private readonly turns = new Map<string, Promise<void>>();

  constructor(readonly dir: string) {}

  /** Waits its turn for `locked`, creates the directory on first use; release it when the RUN is over. */
  async acquire(id: string, sharing: CacheSharing, fresh: NewCacheDirectory): Promise<CacheMountLease> {
    const base = createHash('sha256').update(id).digest('hex');
    let done: () => void = () => undefined;
    if (sharing === 'locked') {
      const before = this.turns.get(base) ?? Promise.resolve();
      const mine = new Promise<void>((resolve) => { done = resolve; });
      const chain = before.then(() => mine);
      this.turns.set(base, chain);
      void chain.then(() => { if (this.turns.get(base) === chain) this.turns.delete(base); });
      await before;
    }
    let name = base;
    if (sharing === 'private') {
      for (let n = 1; (this.users.get(name) ?? 0) > 0; n++) name = `${base}.${n}`;
    }
    this.users.set(name, (this.users.get(name) ?? 0) + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.users.set(name, (this.users.get(name) ?? 1) - 1);
      done();
    };
    try {
      const path = await this.ensure(name, id, fresh);
      return { path, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Removes every cache directory not in use. Returns how many went and their bytes. */
  async prune(): Promise<{ removed: number; bytes: number }> {
    let removed = 0;
    let bytes = 0;
    for (const name of await this.names()) {
      if ((this.users.get(name) ?? 0) > 0) continue;
      bytes += await treeSize(join(this.dir, name, 'fs'));
      const doomed = join(this.dir, `.remove-${name}-${randomBytes(4).toString('hex')}`);
      await rename(join(this.dir, name), doomed);
      await rm(doomed, { recursive: true, force: true });
      removed++;
    }
    return { removed, bytes };
  }

  /** Every cache directory with its id and size (for `system df`). */
  async list(): Promise<CacheMountInfo[]> {
    const infos: CacheMountInfo[] = [];
    for (const name of await this.names()) {
      const id = (await readFile(join(this.dir, name, 'id'), 'utf8').catch(warnUnlessErrno(ABSENT, log, 'reading a cache mount\'s id', { name }))) ?? name;
      const createdAt = (await lstat(join(this.dir, name)).catch(warnUnlessErrno(ABSENT, log, 'reading a cache mount\'s age', { name })))?.mtime ?? new Date(0);
      infos.push({ name, id, createdAt, size: await treeSize(join(this.dir, name, 'fs')), inUse: (this.users.get(name) ?? 0) > 0 });
    }
    return infos;
  }

  private async names(): Promise<string[]> {
    const entries = (await readdir(this.dir).catch(warnUnlessErrno(ABSENT, log, 'listing the cache mounts', { dir: this.dir }))) ?? [];
    // Leftovers of a crash in the middle of a create or a prune go first.
    for (const entry of entries.filter((e) => e.startsWith('.'))) await rm(join(this.dir, entry), { recursive: true, force: true });
    return entries.filter((e) => /^[0-9a-f]{64}(\.\d+)?$/.test(e));
  }

  private async ensure(name: string, id: string, fresh: NewCacheDirectory): Promise<string> {
    const path = join(this.dir, name, 'fs');
    if ((await lstat(path).catch(warnUnlessErrno(ABSENT, log, 'looking for a cache mount', { path })))?.isDirectory() === true) return path;
    // Made aside and renamed into place: a crash never leaves a half-seeded cache.
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const staging = join(this.dir, `.new-${name}-${randomBytes(4).toString('hex')}`);
    try {
      await mkdir(join(staging, 'fs'), { recursive: true });
      await writeFile(join(staging, 'id'), id);
      if (fresh.seed !== undefined) await fresh.seed(join(staging, 'fs'));
      await chown(join(staging, 'fs'), fresh.uid, fresh.gid);
      await chmod(join(staging, 'fs'), fresh.mode);
      await rename(staging, join(this.dir, name));
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      // Another RUN of this process made it meanwhile: use that one.
      if ((await lstat(path).catch(warnUnlessErrno(ABSENT, log, 'looking for a cache mount', { path })))?.isDirectory() === true) return path;
      throw err;
    }
    return path;
  }
}

async function treeSize(dir: string): Promise<number> {
  let total = 0;
  const seen = new Set<string>();
  const visit = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(warnUnlessErrno(ABSENT, log, 'measuring a cache mount', { path }));
    if (info === undefined) return;
    if (info.isDirectory()) {
      for (const name of (await readdir(path).catch(warnUnlessErrno(ABSENT, log, 'measuring a cache mount', { path }))) ?? []) await visit(join(path, name));
    } else if (info.isFile()) {
      const inode = `${info.dev}:${info.ino}`;
      if (info.nlink > 1 && seen.has(inode)) return;
      seen.add(inode);
      total += info.size;
    }
  };
  await visit(dir);
  return total;
}
