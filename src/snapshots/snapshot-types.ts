import type { Readable } from 'node:stream';
import type { Digest } from '../base/digest.js';
import type { Mount } from '../mount/mount-table.js';
import type { DiffDirectoryOptions } from './layer-differ.js';

export type SnapshotKind = 'committed' | 'active';

/** One row of the snapshots table. */
export interface SnapshotInfo {
  /** Chain ID for committed layers; the caller's key for active snapshots. */
  key: string;
  /** Short directory name under `<root>/snapshots/`. */
  id: number;
  parent: string | null;
  kind: SnapshotKind;
  /** Bytes of regular file content in this snapshot's own directory (its layer, not its parents). */
  size: number;
  createdAt: string;
  labels: Record<string, string>;
}

/**
 * Layered filesystem snapshots (containerd's model). A committed snapshot is an immutable layer;
 * an active one is a writable layer over a committed parent chain. Errors: not-found (`snapshot-not-found`)
 * for an unknown key; already-exists (`snapshot-exists`) when a key is taken; failed-precondition
 * (`parent-not-found`, `parent-not-committed`, `snapshot-not-active`) when a parent or source is
 * missing or of the wrong kind; conflict (`snapshot-has-children`) on removing a parent.
 * All methods are safe to call concurrently, also from several processes on one state root.
 */
export interface Snapshotter {
  has(key: string): boolean;
  /** Throws not-found. */
  stat(key: string): SnapshotInfo;
  list(): SnapshotInfo[];
  /**
   * Unpacks a (gzip, zstd or plain) layer tar on top of `parent` into a committed snapshot `key`.
   * Idempotent: when `key` exists (or another caller commits it first), `tar` is drained and the
   * existing snapshot returned. Throws data-loss `diff-id-mismatch`, invalid-argument for unsafe or
   * malformed tars, failed-precondition when the parent is missing.
   */
  applyLayer(key: string, parent: string | null, tar: Readable, expectedDiffId: Digest): Promise<SnapshotInfo>;
  /** Creates the active snapshot `key` over committed `parent` and returns its mounts. */
  prepare(key: string, parent: string | null, labels?: Record<string, string>): Promise<Mount[]>;
  /** The mounts of an active snapshot (throws failed-precondition for a committed one). */
  mounts(key: string): Mount[];
  /** Mounts active snapshot `key` at `target` (an existing directory). */
  mount(key: string, target: string): Promise<void>;
  /** Unmounts `target`; does nothing when it is not a mount point. */
  unmount(target: string): Promise<void>;
  /**
   * The changes of active snapshot `key` as an uncompressed layer tar. Unmount it first. `idMap`:
   * the user namespace its files were written in (their ids are written as the namespace saw them).
   */
  diff(key: string, idMap?: DiffDirectoryOptions['idMap']): Readable;
  /** Turns active snapshot `activeKey` (unmounted) into committed snapshot `key`. */
  commit(key: string, activeKey: string): Promise<SnapshotInfo>;
  /** Removes a snapshot with no children, its row and its directory. */
  remove(key: string): Promise<void>;
  /** Bytes on disk of the snapshot's own directory (allocated blocks, hard links once). */
  usage(key: string): Promise<number>;
  /** Removes leftovers of crashed processes: dead `.tmp-<pid>-*` dirs and dirs with no row. */
  cleanup(): Promise<void>;
}
