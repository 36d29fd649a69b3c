/**
 * The commit of a staged `cp` upload: new paths are renamed into place (a whole new directory in
 * one rename), a path they replace is moved aside first (a directory) or replaced by the rename
 * itself (a non-directory), and directories the upload names get their owner, mode and xattrs.
 * Every step that can be undone is journaled; when a step fails, the journal is undone in reverse
 * order (new paths go back out, moved-aside paths come back, owners and modes are restored) and
 * the failure is thrown. What cannot be undone: a non-directory the rename replaced, a directory
 * that could not be moved aside (one from an image layer: overlayfs refuses to rename it) and was
 * removed instead, xattrs of existing directories.
 * Directory times are set after the staging is gone (applyDirectoryTimes).
 */
import { chmod, lchown, lstat, lutimes, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProcessRunner } from '../base/process-runner.js';
import { formatXattrDump } from '../snapshots/xattr-dump.js';
import type { UploadDestination } from './archive-upload-destination.js';
import type { UploadPlan } from './archive-upload-plan.js';
import type { UploadStage } from './archive-upload-stage.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { errnoCode } from '../base/errors.js';

const log = componentLogger('engine');

type Undo = () => Promise<unknown>;

/** Moves the staged upload into the destination; returns the host directories that got new paths. */
export async function commitUpload(plan: UploadPlan, stage: UploadStage, destination: UploadDestination, runner: ProcessRunner): Promise<Set<string>> {
  const journal: Undo[] = [];
  const changed = new Set<string>();
  const place = async (path: string): Promise<void> => {
    const node = plan.node(path);
    if (node === undefined) return;
    const host = join(destination.target, path);
    if (node.origin === 'existing') {
      for (const child of plan.childrenOf(path)) await place(child);
      return;
    }
    await stage.touch(dirname(host));
    if (node.replaces === 'directory' || (node.replaces === 'other' && node.kind === 'directory')) {
      const aside = await stage.aside(path);
      try {
        await rename(host, aside);
        journal.push(() => rename(aside, host));
      } catch (err) {
        // EXDEV: a directory of an image layer, which overlayfs does not rename; removed instead
        // (see above: it cannot come back). Another failure is removed the same way, but logged.
        if (errnoCode(err) !== 'EXDEV') log.warn('moving a replaced directory aside failed; removing it', { err, path: host });
        await rm(host, { recursive: true, force: true });
      }
    }
    await rename(await stage.staged(path), host);
    changed.add(dirname(host));
    const back = await stage.aside(path);
    journal.push(() => rename(host, back));
  };
  try {
    for (const child of plan.childrenOf('')) await place(child);
    const xattrs: [string, Map<string, Buffer>][] = [];
    for (const [path, node] of plan.entries()) {
      if (node.origin !== 'existing') continue;
      if (node.xattrs !== undefined && node.xattrs.size > 0) xattrs.push([path, node.xattrs]);
      if (node.meta === undefined) continue;
      const host = join(destination.target, path);
      const before = await lstat(host);
      journal.push(async () => {
        await lchown(host, before.uid, before.gid);
        await chmod(host, before.mode & 0o7777);
      });
      await lchown(host, node.meta.owner.uid, node.meta.owner.gid);
      await chmod(host, node.meta.mode);
    }
    if (xattrs.length > 0) await runner.run('setfattr', ['-h', '--restore=-'], { cwd: destination.target, input: formatXattrDump(xattrs) });
  } catch (err) {
    // The step's error is the one thrown; an undo that fails leaves that step done, which is logged.
    for (const undo of journal.reverse()) await undo().catch(warnOnFailure(log, 'undoing a step of a failed upload', { path: destination.target }));
    throw err;
  }
  return changed;
}

/** Gives the directories the upload names their mtime, deepest first (adding to one changes it). */
export async function applyDirectoryTimes(plan: UploadPlan, destination: UploadDestination): Promise<void> {
  const named = plan.entries().filter(([, node]) => node.meta !== undefined);
  named.sort(([a], [b]) => b.split('/').length - a.split('/').length);
  for (const [path, node] of named) {
    if (node.meta !== undefined) await lutimes(join(destination.target, path), node.meta.mtime, node.meta.mtime);
  }
}
