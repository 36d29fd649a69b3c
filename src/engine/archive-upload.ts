/**
 * `PUT /containers/{id}/archive` applies a tar all or nothing: every entry is read, checked
 * (archive-upload-entry.ts, archive-upload-plan.ts) and written into a staging area on the
 * filesystem it is bound for (archive-upload-stage.ts) before anything moves into place
 * (archive-upload-commit.ts). A refused entry, a malformed or truncated tar, a client that goes
 * away or a failed write leaves the container's files as they were: the staging is removed, and
 * the times of the directories it touched are given back. dockerd applies a tar entry by entry;
 * berth is stricter on purpose.
 */
import type { Readable } from 'node:stream';
import { BerthError, errnoCode, errors, messageOf } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { LayerEntry } from '../snapshots/layer-writer.js';
import { xattrsFromPax } from '../snapshots/pax-xattrs.js';
import { rawPaxRecords } from '../snapshots/raw-pax-extract.js';
import { forEachTarEntry } from '../snapshots/tar-entries.js';
import type { XattrMap } from '../snapshots/xattr-dump.js';
import { rootOwner, uploadEntryOf, type UploadEntry, type UploadIds } from './archive-upload-entry.js';
import { applyDirectoryTimes, commitUpload } from './archive-upload-commit.js';
import { destinationProbe, type UploadDestination } from './archive-upload-destination.js';
import { UploadPlan } from './archive-upload-plan.js';
import { UploadStage } from './archive-upload-stage.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';

const log = componentLogger('engine');

export interface UploadArchiveOptions {
  /** Runs `mknod` (devices, fifos) and `setfattr --restore` (xattrs). */
  runner: ProcessRunner;
  ids: UploadIds;
  /** dockerd's `noOverwriteDirNonDir`: never swap a directory and a non-directory. */
  noOverwriteDirNonDir: boolean;
  /** The extraction directory as the container sees it (for messages). */
  containerPath: string;
}

/**
 * Unpacks `tar` into the destination, all or nothing. Throws invalid-argument for a refused entry
 * or a malformed tar (`unsafe-layer-entry`, `unsupported-layer-entry`, `hard-link-target-missing`,
 * `layer-entry-parent-not-directory`, `layer-entry-name-too-long`, `cannot-overwrite`,
 * `malformed-layer`), internal `layer-write-failed` when the filesystem refuses a write, a mount
 * point would be replaced or the upload stream fails.
 */
export async function uploadArchive(tar: Readable, destination: UploadDestination, options: UploadArchiveOptions): Promise<void> {
  const plan = new UploadPlan(destinationProbe(destination), {
    noOverwriteDirNonDir: options.noOverwriteDirNonDir,
    containerPath: options.containerPath,
    mountPoints: destination.mountPoints,
  });
  const stage = new UploadStage(destination, plan, options.runner, rootOwner(options.ids));
  let changed: Set<string> | undefined;
  try {
    await readEntries(tar, async (body) => {
      const entry = uploadEntryOf(body.header, options.ids);
      const placement = await plan.place(entry, xattrsOf(body, entry));
      await stage.write(entry, placement, body);
    });
    await stage.applyXattrs();
    changed = await commitUpload(plan, stage, destination, options.runner);
  } finally {
    // The upload's own outcome stands; a staging area left behind goes with the next upload there.
    await stage.cleanup(changed ?? new Set()).catch(warnOnFailure(log, 'removing the staging of an upload', { path: destination.target }));
  }
  await applyDirectoryTimes(plan, destination);
}

/** The xattrs an entry's PAX records carry (not overlayfs's own, no user.* on a symlink). */
function xattrsOf(body: LayerEntry, entry: UploadEntry): XattrMap | undefined {
  const { header } = body;
  if (header.pax === undefined || header.pax === null) return undefined;
  const map: XattrMap = new Map();
  for (const [name, value] of xattrsFromPax(header.pax, () => rawPaxRecords(header))) {
    if (name.startsWith('trusted.overlay.') || (entry.kind === 'symlink' && name.startsWith('user.'))) continue;
    map.set(name, value);
  }
  return map.size === 0 ? undefined : map;
}

/**
 * Feeds every entry of `tar` to `handle`, in order (snapshots' tar loop, as layer unpacks read
 * theirs); a write the file system refuses names its entry.
 */
function readEntries(tar: Readable, handle: (body: LayerEntry) => Promise<void>): Promise<void> {
  return forEachTarEntry(tar, async (body) => {
    try {
      await handle(body);
    } catch (err) {
      body.resume();
      // The entry's stream dies (an error without an errno code) when the tar itself fails,
      // cut short or malformed: let the tar loop report that failure.
      const code = errnoCode(err);
      if (err instanceof BerthError || code === undefined || code === 'STREAM_DESTROYED') throw err;
      if (code === 'ENAMETOOLONG') {
        throw errors.invalidArgument('layer-entry-name-too-long', `layer entry "${body.header.name}" has a path longer than the filesystem takes`, { cause: err, details: { entry: body.header.name } });
      }
      throw errors.internal('layer-write-failed', `cannot write layer entry "${body.header.name}": ${messageOf(err)}`, {
        cause: err,
        details: { entry: body.header.name, code },
      });
    }
  });
}
