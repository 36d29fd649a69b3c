import { mkdirSync, renameSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { systemClock, type Clock } from '../base/clock.js';
import type { Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { StateRoot } from '../base/state-root.js';
import type { Database } from '../store/database.js';
import { openLayerStream } from './decompress.js';
import { diffDirectory, type DiffDirectoryOptions } from './layer-differ.js';
import { unpackLayer } from './layer-unpacker.js';
import { performMounts, unmountAll, type Mount } from '../mount/mount-table.js';
import { SnapshotDirs, removeTree, treeUsage } from './snapshot-dirs.js';
import { SnapshotTable } from './snapshot-table.js';
import { LayerStage, type StagedLayer } from './layer-stage.js';
import type { UnpackPool } from './unpack-pool.js';
import type { SnapshotInfo, Snapshotter } from './snapshot-types.js';

export interface OverlaySnapshotterOptions {
  root: StateRoot;
  db: Database;
  runner: ProcessRunner;
  clock?: Clock;
  /** Worker threads for `openStage`; without it, layers unpack only through `applyLayer`. */
  unpackPool?: UnpackPool;
}

/**
 * Options that keep the upper directory a plain diff: no index, no redirects, no metacopy, so that
 * every change is a whole file, a 0/0 whiteout or an opaque directory in the upper dir.
 */
const OVERLAY_OPTIONS = ['index=off', 'redirect_dir=off', 'metacopy=off'];

/**
 * Snapshots as overlayfs layers in `<root>/snapshots/<id>/fs` (Docker's overlay2 layout with short
 * numeric names); see Snapshotter for the contract. Lower dirs are passed relative to the snapshots
 * dir (the mount's cwd) so that a long chain fits the one-page mount option limit.
 */
export class OverlaySnapshotter implements Snapshotter {
  private readonly table: SnapshotTable;
  private readonly dirs: SnapshotDirs;
  private readonly db: Database;
  private readonly runner: ProcessRunner;
  private readonly pool: UnpackPool | undefined;
  /** Staged layers not yet committed or discarded. */
  private readonly staged = new Set<StagedLayer>();

  constructor(options: OverlaySnapshotterOptions) {
    this.db = options.db;
    this.runner = options.runner;
    this.pool = options.unpackPool;
    this.table = new SnapshotTable(options.db, options.clock ?? systemClock);
    this.dirs = new SnapshotDirs(options.root.snapshots);
  }

  has(key: string): boolean {
    return this.table.find(key) !== undefined;
  }

  stat(key: string): SnapshotInfo {
    return this.table.get(key);
  }

  list(): SnapshotInfo[] {
    return this.table.list();
  }

  async applyLayer(key: string, parent: string | null, tar: Readable, expectedDiffId: Digest): Promise<SnapshotInfo> {
    const existing = this.table.find(key);
    if (existing !== undefined) {
      await drain(tar);
      return this.requireCommitted(existing);
    }
    this.table.requireParent(parent);
    const temp = this.dirs.tempPath();
    let aside: string[] = [];
    try {
      await mkdir(join(temp, 'fs'), { recursive: true, mode: 0o755 });
      const { size } = await unpackLayer(openLayerStream(tar), join(temp, 'fs'), { runner: this.runner, expectedDiffId });
      await this.runner.run('sync', ['-f', temp]);
      const info = this.db.transaction(() => {
        const winner = this.table.find(key);
        if (winner !== undefined) return winner;
        this.table.requireParent(parent);
        const id = this.table.nextId();
        aside = this.dirs.moveInto(temp, id);
        return this.insertOrMoveBack(temp, id, { key, id, parent, kind: 'committed', size, labels: {} });
      });
      return this.requireCommitted(info);
    } finally {
      for (const path of [temp, ...aside]) await removeTree(path);
    }
  }

  /**
   * Starts unpacking a layer in a worker thread into a temp directory, fed chunk by chunk (see
   * LayerStage). Throws failed-precondition when the snapshotter has no unpack pool.
   */
  async openStage(compressed: boolean): Promise<LayerStage> {
    if (this.pool === undefined) throw errors.failedPrecondition('no-unpack-pool', 'this snapshotter was made without an unpack pool');
    const temp = this.dirs.tempPath();
    await mkdir(join(temp, 'fs'), { recursive: true, mode: 0o755 });
    let feed;
    try {
      feed = await this.pool.open(join(temp, 'fs'), compressed);
    } catch (err) {
      await removeTree(temp);
      throw err;
    }
    return new LayerStage(feed, temp, {
      staged: (layer) => this.staged.add(layer),
      remove: removeTree,
    });
  }

  /** Flushes every staged layer's files to disk with one syncfs (instead of one per layer). */
  async flush(): Promise<void> {
    const pending = [...this.staged];
    await this.runner.run('sync', ['-f', this.dirs.base]);
    for (const layer of pending) layer.durable = true;
  }

  /**
   * Makes a staged layer the committed snapshot `key` on `parent` (flushing it first if needed).
   * When `key` exists already (another writer won), the staged layer is removed and the existing
   * snapshot returned. Failed-precondition when the parent is missing.
   */
  async commitStaged(key: string, parent: string | null, layer: StagedLayer): Promise<SnapshotInfo> {
    // Set inside the transaction: whether the staged dir became the snapshot's, and what was moved aside.
    const moved = { consumed: false, aside: [] as string[] };
    try {
      if (!layer.durable) await this.flush();
      const info = this.db.transaction(() => {
        const winner = this.table.find(key);
        if (winner !== undefined) return winner;
        this.table.requireParent(parent);
        const id = this.table.nextId();
        moved.aside = this.dirs.moveInto(layer.dir, id);
        const inserted = this.insertOrMoveBack(layer.dir, id, { key, id, parent, kind: 'committed', size: layer.size, labels: {} });
        moved.consumed = true;
        return inserted;
      });
      return this.requireCommitted(info);
    } finally {
      this.staged.delete(layer);
      for (const path of moved.consumed ? moved.aside : [layer.dir, ...moved.aside]) await removeTree(path);
    }
  }

  /** Removes a staged layer that will not be committed. */
  async discardStaged(layer: StagedLayer): Promise<void> {
    this.staged.delete(layer);
    await removeTree(layer.dir);
  }

  async prepare(key: string, parent: string | null, labels: Record<string, string> = {}): Promise<Mount[]> {
    let aside: string[] = [];
    const temp = this.dirs.tempPath();
    try {
      this.db.transaction(() => {
        if (this.table.find(key) !== undefined) {
          throw errors.alreadyExists('snapshot-exists', `snapshot "${key}" already exists`, { details: { key } });
        }
        this.table.requireParent(parent);
        const id = this.table.nextId();
        mkdirSync(join(temp, 'fs'), { recursive: true, mode: 0o755 });
        mkdirSync(join(temp, 'work'), { mode: 0o700 });
        aside = this.dirs.moveInto(temp, id);
        this.insertOrMoveBack(temp, id, { key, id, parent, kind: 'active', size: 0, labels });
      });
    } finally {
      for (const path of [temp, ...aside]) await removeTree(path);
    }
    return this.mounts(key);
  }

  mounts(key: string): Mount[] {
    const info = this.requireActive(this.table.get(key));
    const dir = this.dirs.path(info.id);
    if (info.parent === null) {
      return [{ type: 'bind', source: join(dir, 'fs'), options: ['rbind', 'rw'] }];
    }
    const lowers = this.table.ancestors(info).map((layer) => `${layer.id}/fs`);
    return [
      {
        type: 'overlay',
        source: 'overlay',
        options: [...OVERLAY_OPTIONS, `lowerdir=${lowers.join(':')}`, `upperdir=${join(dir, 'fs')}`, `workdir=${join(dir, 'work')}`],
        cwd: this.dirs.base,
      },
    ];
  }

  /**
   * The directories of active snapshot `key`: its own (upper) directory and its parents' layer
   * directories, nearest parent first. For reading changes without mounting.
   */
  layerDirs(key: string): { upper: string; lowers: string[] } {
    const info = this.requireActive(this.table.get(key));
    const lowers = info.parent === null ? [] : this.table.ancestors(info).map((layer) => join(this.dirs.path(layer.id), 'fs'));
    return { upper: join(this.dirs.path(info.id), 'fs'), lowers };
  }

  async mount(key: string, target: string): Promise<void> {
    await performMounts(this.runner, this.mounts(key), target);
  }

  async unmount(target: string): Promise<void> {
    await unmountAll(this.runner, target);
  }

  diff(key: string, idMap?: DiffDirectoryOptions['idMap']): Readable {
    const info = this.requireActive(this.table.get(key));
    return diffDirectory(join(this.dirs.path(info.id), 'fs'), { runner: this.runner, ...(idMap === undefined ? {} : { idMap }) });
  }

  async commit(key: string, activeKey: string): Promise<SnapshotInfo> {
    const active = this.requireActive(this.table.get(activeKey));
    if (this.table.find(key) !== undefined) {
      throw errors.alreadyExists('snapshot-exists', `snapshot "${key}" already exists`, { details: { key } });
    }
    const dir = this.dirs.path(active.id);
    const { contentBytes } = await treeUsage(join(dir, 'fs'));
    await this.runner.run('sync', ['-f', dir]);
    this.db.transaction(() => {
      this.requireActive(this.table.get(activeKey));
      if (this.table.find(key) !== undefined) {
        throw errors.alreadyExists('snapshot-exists', `snapshot "${key}" already exists`, { details: { key } });
      }
      this.table.markCommitted(activeKey, key, contentBytes);
    });
    await removeTree(join(dir, 'work'));
    return this.table.get(key);
  }

  async remove(key: string): Promise<void> {
    const aside = this.db.transaction(() => {
      const info = this.table.get(key);
      if (this.table.hasChildren(key)) {
        throw errors.conflict('snapshot-has-children', `snapshot "${key}" is the parent of other snapshots`, { details: { key } });
      }
      this.table.delete(key);
      return this.dirs.moveAside(info.id);
    });
    if (aside !== null) await removeTree(aside);
  }

  /**
   * For the garbage collector, inside its write transaction: moves the directory of snapshot `key`
   * aside and deletes its row (its children must be gone). Returns the moved directory, to remove
   * once the transaction committed (null when it had none). Not-found for no such snapshot.
   */
  detach(key: string): string | null {
    const info = this.table.get(key);
    const aside = this.dirs.moveAside(info.id);
    this.table.delete(key);
    return aside;
  }

  async usage(key: string): Promise<number> {
    return (await treeUsage(this.dirs.path(this.table.get(key).id))).diskBytes;
  }

  async cleanup(): Promise<void> {
    const doomed = this.db.transaction(() => this.dirs.collectLeftovers(this.table.ids()));
    for (const path of doomed) await removeTree(path);
  }

  /** Inserts the row; if that fails, puts the directory back at `temp` so the caller removes it. */
  private insertOrMoveBack(temp: string, id: number, info: Omit<SnapshotInfo, 'createdAt'>): SnapshotInfo {
    try {
      return this.table.insert(info);
    } catch (err) {
      renameSync(this.dirs.path(id), temp);
      throw err;
    }
  }

  private requireCommitted(info: SnapshotInfo): SnapshotInfo {
    if (info.kind !== 'committed') {
      throw errors.alreadyExists('snapshot-exists', `snapshot "${info.key}" exists and is active, not a committed layer`);
    }
    return info;
  }

  private requireActive(info: SnapshotInfo): SnapshotInfo {
    if (info.kind !== 'active') {
      throw errors.failedPrecondition('snapshot-not-active', `snapshot "${info.key}" is committed, not active`);
    }
    return info;
  }
}

async function drain(stream: Readable): Promise<void> {
  stream.resume();
  await finished(stream);
}
