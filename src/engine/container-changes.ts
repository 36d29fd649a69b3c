/**
 * `diff`: what a container changed in its root filesystem, read from its writable layer (the
 * overlay upper directory) without mounting: a whiteout is a deletion, a path its image already
 * has is a modification, anything else an addition — Docker's `GET /containers/{id}/changes`.
 */
import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../base/errors.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import type { TaskContext } from './container-task.js';

/** What `diff` needs of the engine: the record of a reference and the container's writable layer. */
export interface ChangesContext {
  inspect(ref: string): ContainerRecord;
  paths: ContainerPaths;
  task: Pick<TaskContext, 'snapshotter'>;
}

/** Docker's kinds: 0 modified, 1 added, 2 deleted. */
export type ChangeKind = 0 | 1 | 2;

export interface Change {
  path: string;
  kind: ChangeKind;
}

const isWhiteout = (stat: Stats): boolean => stat.isCharacterDevice() && stat.rdev === 0;

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Whether `path` exists in the lower layers (nearest first): the first layer that has it, or a whiteout of it, decides. */
async function inLowers(lowers: readonly string[], path: string): Promise<boolean> {
  for (const lower of lowers) {
    const stat = await lstatOrUndefined(join(lower, path));
    if (stat !== undefined) return !isWhiteout(stat);
  }
  return false;
}

/** The changes in the upper directory `upper` over `lowers`, sorted by path. */
export async function changesOf(upper: string, lowers: readonly string[]): Promise<Change[]> {
  const changes: Change[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(join(upper, dir))).sort()) {
      const path = `${dir}/${name}`;
      const stat = await lstat(join(upper, path));
      if (isWhiteout(stat)) {
        changes.push({ path, kind: 2 });
        continue;
      }
      changes.push({ path, kind: (await inLowers(lowers, path)) ? 0 : 1 });
      if (stat.isDirectory()) await walk(path);
    }
  };
  await walk('');
  return changes;
}

/** Mount points the runtime makes in every container (Docker keeps them in its hidden init layer). */
const RUNTIME_MOUNT_POINTS = ['/proc', '/sys', '/dev', '/etc/hostname', '/etc/hosts', '/etc/resolv.conf'];

const isUnder = (path: string, top: string): boolean => path === top || path.startsWith(`${top}/`);

/**
 * Leaves out the runtime's mount points (and what is below them), and the directories that appear
 * modified only because one of those was created in them (`/etc` for `/etc/hostname`).
 */
export function withoutRuntimeMountPoints(changes: readonly Change[]): Change[] {
  const hidden = changes.filter((c) => RUNTIME_MOUNT_POINTS.some((top) => isUnder(c.path, top)));
  const kept = changes.filter((c) => !hidden.includes(c));
  for (let i = kept.length - 1; i >= 0; i--) {
    const change = kept[i];
    if (change === undefined || change.kind !== 0) continue;
    const below = (c: Change): boolean => c.path.startsWith(`${change.path}/`);
    if (hidden.some(below) && !kept.some(below)) kept.splice(i, 1);
  }
  return kept;
}

/** The changes of a container's writable layer. Throws not-found for an unknown container. */
export async function containerChanges(ctx: ChangesContext, ref: string): Promise<Change[]> {
  const record = ctx.inspect(ref);
  const { upper, lowers } = ctx.task.snapshotter.layerDirs(ctx.paths.snapshotKey(record.id));
  return withoutRuntimeMountPoints(await changesOf(upper, lowers));
}
