/**
 * The staging of a `cp` upload: every entry is written, as the tar comes, into a hidden directory
 * (`.berth-upload-<owner tag>-<hex>`, mode 0700) at the root of the mount its destination is on, in a tree
 * that mirrors the extraction directory; a commit then only renames. One staging area per mount
 * (the extraction directory's, and each mount point below it an entry goes into), made when the
 * first entry needs it. `cleanup` removes them and gives back the times of the directories that
 * staging (or a rolled back commit) touched. The staging areas a killed daemon left in a mount root
 * (their owner tag names a dead process) go when the next upload stages there.
 */
import { constants } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, open, rm, symlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join, posix } from 'node:path';
import { isOwnerAlive, ownerTag, OWNER_TAG_PATTERN } from '../base/process-alive.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { LayerEntry } from '../snapshots/layer-writer.js';
import { formatXattrDump } from '../snapshots/xattr-dump.js';
import type { Owner, UploadEntry } from './archive-upload-entry.js';
import type { UploadDestination } from './archive-upload-destination.js';
import type { Placement, UploadPlan } from './archive-upload-plan.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { dirEntries } from '../base/fs-probe.js';

const log = componentLogger('engine');

const STAGING_NAME = new RegExp(`^\\.berth-upload-(${OWNER_TAG_PATTERN})-[0-9a-f]+$`);
const CREATE_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

interface StagingArea {
  /** The directory the area is in (a mount's root). */
  host: string;
  dir: string;
  /** Mirrors the extraction directory (or, for a mount point below it, that mount point). */
  tree: string;
  /** Where replaced paths go until the commit is final, and placed ones when it is undone. */
  aside: string;
}

interface Times {
  atime: Date;
  mtime: Date;
}

export class UploadStage {
  private readonly areas = new Map<string, StagingArea>();
  private readonly times = new Map<string, Times>();
  private asides = 0;

  constructor(
    private readonly destination: UploadDestination,
    private readonly plan: UploadPlan,
    private readonly runner: ProcessRunner,
    /** The owner of parents the upload makes (the container's root). */
    private readonly rootOwner: Owner,
  ) {}

  /** Stages one entry as `placement` says; reads (or drains) its data. */
  async write(entry: UploadEntry, placement: Placement, body: LayerEntry): Promise<void> {
    for (const path of placement.added) await this.makeDirectory(path);
    if (placement.action === 'skip') {
      body.resume();
      return;
    }
    const staged = await this.staged(entry.path);
    if (placement.discard) await rm(staged, { recursive: true, force: true });
    if (entry.kind !== 'file') body.resume();
    switch (entry.kind) {
      case 'file':
        await writeFile(body, staged, entry);
        return;
      case 'directory':
        if (placement.action === 'merge' && this.plan.node(entry.path)?.origin === 'existing') return;
        if (placement.action === 'create') await mkdir(staged, 0o700);
        await lchown(staged, entry.owner.uid, entry.owner.gid);
        await chmod(staged, entry.mode);
        return;
      case 'symlink':
        await symlink(entry.linkname, staged);
        await lchown(staged, entry.owner.uid, entry.owner.gid);
        await lutimes(staged, entry.mtime, entry.mtime);
        return;
      case 'link': {
        const source = placement.source;
        if (source === undefined) return;
        await link(source.staged ? await this.staged(source.path) : join(this.destination.target, source.path), staged);
        return;
      }
      case 'character-device':
      case 'block-device':
      case 'fifo': {
        const kind = entry.kind === 'fifo' ? ['p'] : [entry.kind === 'block-device' ? 'b' : 'c', String(entry.devmajor), String(entry.devminor)];
        await this.runner.run('mknod', [staged, ...kind]);
        await lchown(staged, entry.owner.uid, entry.owner.gid);
        await chmod(staged, entry.mode);
        await lutimes(staged, entry.mtime, entry.mtime);
      }
    }
  }

  /** Gives the staged entries their xattrs (after their owners: a chown drops security.capability). */
  async applyXattrs(): Promise<void> {
    const byAnchor = new Map<string, [string, Map<string, Buffer>][]>();
    for (const [path, node] of this.plan.entries()) {
      if (node.origin !== 'new' || node.xattrs === undefined || node.xattrs.size === 0) continue;
      const anchor = this.plan.anchorOf(path);
      const list = byAnchor.get(anchor) ?? [];
      list.push([relativeTo(anchor, path), node.xattrs]);
      byAnchor.set(anchor, list);
    }
    for (const [anchor, list] of byAnchor) {
      await this.runner.run('setfattr', ['-h', '--restore=-'], { cwd: (await this.area(anchor)).tree, input: formatXattrDump(list) });
    }
  }

  /** The staged host path of plan path `path` (its staging area made if need be). */
  async staged(path: string): Promise<string> {
    const anchor = this.plan.anchorOf(path);
    const area = await this.area(anchor);
    return path === anchor ? area.tree : join(area.tree, relativeTo(anchor, path));
  }

  /** A fresh path in the staging area of `path`'s mount, to move a path of the destination to. */
  async aside(path: string): Promise<string> {
    const area = await this.area(this.plan.anchorOf(path));
    return join(area.aside, String(this.asides++));
  }

  /** Keeps the times of host directory `dir` before the upload first changes it. */
  async touch(dir: string): Promise<void> {
    if (this.times.has(dir)) return;
    const { atime, mtime } = await lstat(dir);
    this.times.set(dir, { atime, mtime });
  }

  /** Removes the staging areas; restores the times of touched directories but those in `changed`. */
  async cleanup(changed: ReadonlySet<string>): Promise<void> {
    for (const area of this.areas.values()) await rm(area.dir, { recursive: true, force: true });
    this.areas.clear();
    for (const [dir, { atime, mtime }] of this.times) {
      // Only the times are lost: the upload stands.
      if (!changed.has(dir)) await lutimes(dir, atime, mtime).catch(warnOnFailure(log, 'restoring the times of a directory after an upload', { path: dir }));
    }
  }

  private async makeDirectory(path: string): Promise<void> {
    const node = this.plan.node(path);
    const staged = await this.staged(path);
    if (node === undefined || path === this.plan.anchorOf(path)) return;
    await mkdir(staged, 0o700);
    if (node.origin === 'existing') return; // a placeholder: only its children move
    await lchown(staged, this.rootOwner.uid, this.rootOwner.gid);
    await chmod(staged, 0o755);
  }

  private async area(anchor: string): Promise<StagingArea> {
    const known = this.areas.get(anchor);
    if (known !== undefined) return known;
    const host = anchor === '' ? this.destination.mountRoot : join(this.destination.target, anchor);
    await this.touch(host);
    await removeDeadStaging(host);
    const dir = join(host, `.berth-upload-${ownerTag()}-${randomBytes(8).toString('hex')}`);
    const area = { host, dir, tree: join(dir, 'tree'), aside: join(dir, 'aside') };
    await mkdir(dir, 0o700);
    this.areas.set(anchor, area);
    await mkdir(area.tree, 0o700);
    await mkdir(area.aside, 0o700);
    return area;
  }
}

/** Removes the staging areas in `host` whose owner is dead (a daemon killed mid-upload). */
async function removeDeadStaging(host: string): Promise<void> {
  for (const name of await dirEntries(host, log)) {
    const owner = STAGING_NAME.exec(name)?.[1];
    if (owner !== undefined && !isOwnerAlive(owner)) await rm(join(host, name), { recursive: true, force: true });
  }
}

function relativeTo(anchor: string, path: string): string {
  return anchor === '' ? path : posix.relative(anchor, path);
}

/** A regular file's data, owner, mode and mtime (chmod after chown, which drops setuid bits). */
async function writeFile(body: LayerEntry, staged: string, entry: UploadEntry): Promise<void> {
  const handle = await open(staged, CREATE_FILE, 0o600);
  try {
    for await (const value of body) {
      const chunk = value as Buffer;
      for (let offset = 0; offset < chunk.length;) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
    }
    await handle.chown(entry.owner.uid, entry.owner.gid);
    await handle.chmod(entry.mode);
    await handle.utimes(entry.mtime, entry.mtime);
  } finally {
    await handle.close();
  }
}
