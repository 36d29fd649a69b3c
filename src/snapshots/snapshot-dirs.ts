import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../base/errors.js';
import { isOwnerAlive, ownerTag, OWNER_TAG_PATTERN } from '../base/process-alive.js';

const TEMP_NAME = new RegExp(`^\\.tmp-(${OWNER_TAG_PATTERN})-[0-9a-f]+$`);

/**
 * The directories under `<root>/snapshots/`: `<id>/{fs,work}` per snapshot, and `.tmp-<owner tag>-<hex>`
 * for work in progress (unpacks not yet committed, removals not yet finished). The sync methods
 * are meant to run inside a database transaction, so that a directory and its row appear together.
 */
export class SnapshotDirs {
  constructor(readonly base: string) {
    mkdirSync(base, { recursive: true });
  }

  path(id: number): string {
    return join(this.base, String(id));
  }

  /** A fresh temp path (not created) named for this process. */
  tempPath(): string {
    return join(this.base, `.tmp-${ownerTag()}-${randomBytes(6).toString('hex')}`);
  }

  /** Renames `temp` to the directory of `id`; a leftover at that name (no row has it) is moved aside first. */
  moveInto(temp: string, id: number): string[] {
    const target = this.path(id);
    const aside: string[] = [];
    try {
      renameSync(temp, target);
    } catch (err) {
      const code = errnoCode(err);
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      const moved = this.moveAside(id);
      if (moved !== null) aside.push(moved);
      renameSync(temp, target);
    }
    return aside;
  }

  /** Renames the directory of `id` to a temp name (for removal outside the transaction); null if absent. */
  moveAside(id: number): string | null {
    const temp = this.tempPath();
    try {
      renameSync(this.path(id), temp);
      return temp;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw err;
    }
  }

  /** Leftovers to delete: temp dirs of dead processes, and (moved aside) snapshot dirs whose id has no row. */
  collectLeftovers(liveIds: Set<number>): string[] {
    const doomed: string[] = [];
    for (const name of readdirSync(this.base)) {
      const temp = TEMP_NAME.exec(name);
      if (temp !== null) {
        if (!isOwnerAlive(temp[1] ?? '')) doomed.push(join(this.base, name));
      } else if (/^[1-9][0-9]*$/.test(name) && !liveIds.has(Number(name))) {
        const moved = this.moveAside(Number(name));
        if (moved !== null) doomed.push(moved);
      }
    }
    return doomed;
  }
}

export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}

export interface TreeUsage {
  /** Bytes of regular file content (each inode once). */
  contentBytes: number;
  /** Bytes of allocated blocks (each inode once), directories included. */
  diskBytes: number;
}

/** Walks `dir` without following symlinks and sums its usage. */
export async function treeUsage(dir: string): Promise<TreeUsage> {
  const seen = new Set<string>();
  const usage: TreeUsage = { contentBytes: 0, diskBytes: 0 };
  const visit = async (path: string): Promise<void> => {
    const stat = await lstat(path);
    const inode = `${stat.dev}:${stat.ino}`;
    if (stat.nlink > 1 && !stat.isDirectory()) {
      if (seen.has(inode)) return;
      seen.add(inode);
    }
    usage.diskBytes += stat.blocks * 512;
    if (stat.isFile()) usage.contentBytes += stat.size;
    if (stat.isDirectory()) {
      for (const name of await readdir(path)) await visit(join(path, name));
    }
  };
  await visit(dir);
  return usage;
}

