/**
 * Scratch directories for recompressed layers: `<state root>/tmp/recompress-<pid>-<hex>`, on the
 * state root's filesystem so that a finished file can be renamed into the content store. The pid
 * lets `cleanupScratchDirs` remove what a killed process left.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isOwnerAlive, ownerTag, OWNER_TAG_PATTERN } from '../../base/process-alive.js';
import { componentLogger } from '../../base/logger.js';
import { dirEntries } from '../../base/fs-probe.js';

const log = componentLogger('images');

const PREFIX = 'recompress-';

export interface ScratchDir {
  readonly path: string;
  /** Removes the directory and what is left in it. Idempotent. */
  remove(): Promise<void>;
}

export async function openScratchDir(tmp: string): Promise<ScratchDir> {
  await mkdir(tmp, { recursive: true });
  const path = await mkdtemp(join(tmp, `${PREFIX}${ownerTag()}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Removes the scratch directories of processes that are gone. Returns how many. */
export async function cleanupScratchDirs(tmp: string): Promise<number> {
  const entries = await dirEntries(tmp, log); // none yet: nothing to clean
  let removed = 0;
  for (const entry of entries) {
    const owner = new RegExp(`^${PREFIX}(${OWNER_TAG_PATTERN})-`).exec(entry)?.[1];
    if (owner === undefined || isOwnerAlive(owner)) continue;
    await rm(join(tmp, entry), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
