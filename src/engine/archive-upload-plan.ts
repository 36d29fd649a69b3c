/**
 * The plan of a `cp` upload: the tree of paths its entries make, replace or merge into, over what
 * the extraction directory already holds (asked through a probe). Every entry is checked here as
 * it comes, before anything of the upload reaches the destination:
 * - a parent must be a directory (one of the destination's or one the upload makes); a symbolic
 *   link on the way is refused, as a non-directory is;
 * - a hard link names an earlier entry or a non-directory the destination already has;
 * - a directory entry merges into a directory; any other change replaces the path (and what was
 *   below it), unless `noOverwriteDirNonDir` forbids swapping a directory and a non-directory;
 * - a mount point is never replaced, and what goes below one is staged on its own filesystem.
 * The extraction directory's own entry (`.`) leaves it as it is, as dockerd does. Pure but for
 * the probe.
 */
import { posix } from 'node:path';
import { errors } from '../base/errors.js';
import { joinEntryPath, parentOf, unsafe } from '../snapshots/layer-path.js';
import type { XattrMap } from '../snapshots/xattr-dump.js';
import type { Owner, UploadEntry } from './archive-upload-entry.js';

/** What the destination holds at a path before the upload. */
export type Existing = { kind: 'missing' } | { kind: 'directory' | 'symlink' | 'other'; mountPoint: boolean };

export interface DirMeta {
  mode: number;
  owner: Owner;
  mtime: Date;
}

export interface PlanNode {
  kind: 'directory' | 'symlink' | 'other';
  /** new: staged, then moved into place whole; existing: a directory of the destination entries merge into. */
  origin: 'new' | 'existing';
  /** What the destination holds at a new node's path: moved aside (a directory) or replaced when it moves in. */
  replaces?: 'directory' | 'other';
  /** An existing directory that is a mount point (what goes below it is staged on its filesystem). */
  mountPoint: boolean;
  /** Set by a directory entry: mode, owner and mtime to give it. */
  meta?: DirMeta;
  xattrs?: XattrMap;
}

/** Where a hard link's inode is: an entry staged earlier, or a file of the destination. */
export interface LinkSource {
  staged: boolean;
  path: string;
}

export interface Placement {
  /** create: stage the entry; merge: a directory entry over a directory; skip: nothing to do. */
  action: 'create' | 'merge' | 'skip';
  /** Paths added to the plan for the entry's parents (and a merged directory), top-down. */
  added: string[];
  /** What is staged at the entry's path goes first (a later entry replaces an earlier one). */
  discard: boolean;
  source?: LinkSource;
}

export interface UploadPlanOptions {
  /** dockerd's `noOverwriteDirNonDir`. */
  noOverwriteDirNonDir: boolean;
  /** The extraction directory as the container sees it (dockerd's messages name it). */
  containerPath: string;
  /** Mount points below the extraction directory, relative to it. */
  mountPoints: ReadonlySet<string>;
}

interface At {
  kind: 'missing' | 'directory' | 'symlink' | 'other';
  node?: PlanNode;
  mountPoint: boolean;
}

export class UploadPlan {
  private readonly nodes = new Map<string, PlanNode>();
  private readonly children = new Map<string, Set<string>>();

  constructor(
    private readonly probe: (path: string) => Promise<Existing>,
    private readonly options: UploadPlanOptions,
  ) {}

  node(path: string): PlanNode | undefined {
    return this.nodes.get(path);
  }

  /** The plan paths directly below `path`. */
  childrenOf(path: string): string[] {
    return [...(this.children.get(path) ?? [])];
  }

  /** Every path of the plan with its node. */
  entries(): [string, PlanNode][] {
    return [...this.nodes];
  }

  /** The mount point at or above `path` whose filesystem `path` is on (`''`: the extraction directory's). */
  anchorOf(path: string): string {
    for (let at = path; at !== ''; at = parentOf(at)) {
      const node = this.nodes.get(at);
      if (node?.origin === 'existing' && node.mountPoint) return at;
    }
    return '';
  }

  /** Checks `entry` against the plan and the destination and adds it. Throws what it refuses. */
  async place(entry: UploadEntry, xattrs?: XattrMap): Promise<Placement> {
    if (entry.path === '') return { action: 'skip', added: [], discard: false };
    const added = await this.addParents(entry);
    const source = entry.kind === 'link' ? await this.linkSource(entry) : undefined;
    if (source?.path === entry.path) return { action: 'skip', added, discard: false };
    const at = await this.at(entry.path);
    const isDir = entry.kind === 'directory';
    const meta = isDir ? { mode: entry.mode, owner: entry.owner, mtime: entry.mtime } : undefined;
    if (meta !== undefined && at.kind === 'directory') {
      let node = at.node;
      if (node === undefined) {
        node = { kind: 'directory', origin: 'existing', mountPoint: at.mountPoint };
        this.add(entry.path, node);
        added.push(entry.path);
      }
      node.meta = meta;
      if (xattrs !== undefined) node.xattrs = new Map([...(node.xattrs ?? []), ...xattrs]);
      return { action: 'merge', added, discard: false };
    }
    this.checkReplace(entry, at);
    const replaces = at.node === undefined ? (at.kind === 'missing' ? undefined : at.kind === 'directory' ? 'directory' : 'other') : at.node.origin === 'new' ? at.node.replaces : 'directory';
    this.removeTree(entry.path);
    this.add(entry.path, { kind: isDir ? 'directory' : entry.kind === 'symlink' ? 'symlink' : 'other', origin: 'new', mountPoint: false, ...(replaces === undefined ? {} : { replaces }), ...(meta === undefined ? {} : { meta }), ...(xattrs === undefined ? {} : { xattrs }) });
    return { action: 'create', added, discard: at.node !== undefined, ...(source === undefined ? {} : { source }) };
  }

  /** Refuses to replace what dockerd's `noOverwriteDirNonDir` keeps, and mount points. */
  private checkReplace(entry: UploadEntry, at: At): void {
    const path = posix.join(this.options.containerPath, entry.path);
    const dest = this.options.containerPath;
    if (at.kind !== 'missing' && this.options.noOverwriteDirNonDir) {
      if (at.kind === 'directory') throw errors.invalidArgument('cannot-overwrite', `cannot overwrite directory "${path}" with non-directory "${dest}"`, { details: { entry: entry.name } });
      if (entry.kind === 'directory') throw errors.invalidArgument('cannot-overwrite', `cannot overwrite non-directory "${path}" with directory "${dest}"`, { details: { entry: entry.name } });
    }
    const prefix = `${entry.path}/`;
    if (at.mountPoint || (at.kind === 'directory' && [...this.options.mountPoints].some((point) => point.startsWith(prefix)))) {
      throw errors.internal('layer-write-failed', `cannot write layer entry "${entry.name}": "${path}" is or holds a mount point`, { details: { entry: entry.name } });
    }
  }

  /** Makes sure every parent of the entry is a directory in the plan; returns the paths added. */
  private async addParents(entry: UploadEntry): Promise<string[]> {
    const added: string[] = [];
    const parent = parentOf(entry.path);
    let current = '';
    for (const part of parent === '' ? [] : parent.split('/')) {
      current = joinEntryPath(current, part);
      const at = await this.at(current);
      if (at.kind === 'symlink') throw unsafe(entry.name, 'entry', `goes through "${current}", which is a symbolic link`);
      if (at.kind === 'other') throw notDirectory(entry.name, current);
      if (at.node !== undefined) continue;
      this.add(current, at.kind === 'directory' ? { kind: 'directory', origin: 'existing', mountPoint: at.mountPoint } : { kind: 'directory', origin: 'new', mountPoint: false });
      added.push(current);
    }
    return added;
  }

  /** What a hard link's target is, checked as its parents are (no path is added). */
  private async linkSource(entry: UploadEntry): Promise<LinkSource> {
    const missing = (): Error => errors.invalidArgument('hard-link-target-missing', `layer entry "${entry.name}" links to "${entry.linkname}", which no earlier entry created`, { details: { entry: entry.name } });
    const target = entry.linkPath;
    const parent = parentOf(target);
    let current = '';
    for (const part of parent === '' ? [] : parent.split('/')) {
      current = joinEntryPath(current, part);
      const at = await this.at(current);
      if (at.kind === 'missing') throw missing();
      if (at.kind === 'symlink') throw unsafe(entry.name, 'entry', `goes through "${current}", which is a symbolic link`);
      if (at.kind === 'other') throw notDirectory(entry.name, current);
    }
    const at = await this.at(target);
    if (at.kind === 'missing') throw missing();
    if (at.kind === 'directory') throw unsafe(entry.name, 'entry', `is a hard link to the directory "${entry.linkname}"`);
    return { staged: at.node !== undefined, path: target };
  }

  /** What `path` is now; its parents were looked at first (below a new node only the plan has paths). */
  private async at(path: string): Promise<At> {
    const node = this.nodes.get(path);
    if (node !== undefined) return { kind: node.kind, node, mountPoint: node.mountPoint };
    if (this.nodes.get(parentOf(path))?.origin === 'new') return { kind: 'missing', mountPoint: false };
    const existing = await this.probe(path);
    return existing.kind === 'missing' ? { kind: 'missing', mountPoint: false } : { kind: existing.kind, mountPoint: existing.mountPoint };
  }

  private add(path: string, node: PlanNode): void {
    this.nodes.set(path, node);
    const parent = parentOf(path);
    const siblings = this.children.get(parent) ?? new Set<string>();
    siblings.add(path);
    this.children.set(parent, siblings);
  }

  /** Forgets `path` and everything below it. */
  private removeTree(path: string): void {
    const prefix = `${path}/`;
    for (const key of this.nodes.keys()) if (key === path || key.startsWith(prefix)) this.nodes.delete(key);
    for (const key of this.children.keys()) if (key === path || key.startsWith(prefix)) this.children.delete(key);
    this.children.get(parentOf(path))?.delete(path);
  }
}

function notDirectory(name: string, path: string): Error {
  return errors.invalidArgument('layer-entry-parent-not-directory', `layer entry "${name}" is under "${path}", which is not a directory`, { details: { entry: name } });
}
