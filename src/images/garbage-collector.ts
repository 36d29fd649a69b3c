import { unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { errnoCode } from '../base/errors.js';
import type { Database } from '../store/database.js';
import type { ContentStore } from '../store/content-store.js';
import type { LeaseManager } from '../store/leases.js';

export interface CollectResult {
  blobsRemoved: number;
  snapshotsRemoved: number;
  bytesFreed: number;
}

interface SnapshotRow {
  key: string;
  parent: string | null;
  kind: string;
  size: number;
}

/** What the collector needs of the snapshotter (OverlaySnapshotter implements it). */
export interface CollectableSnapshots {
  /** Every snapshot; called inside the collector's write transaction. */
  list(): readonly SnapshotRow[];
  /**
   * Inside the collector's write transaction: moves the snapshot's directory aside and deletes
   * its record (children first). Returns the moved directory, removed after the commit.
   */
  detach(key: string): string | null;
}

/**
 * Mark and sweep over the node's blobs and snapshots. Roots: images (their blobs and top layer
 * snapshot), active snapshots (containers), and live leases. Everything else goes.
 *
 * Safe against concurrent writers in any process: the mark and the sweep run inside ONE write
 * transaction, and blob files are unlinked (snapshot dirs renamed away) before it commits. A
 * writer adds a resource to its lease (a write that waits for that transaction) before checking
 * whether the resource exists, so it either protected it in time or sees it gone and recreates it.
 */
export class GarbageCollector {
  constructor(
    private readonly db: Database,
    private readonly content: ContentStore,
    private readonly leases: LeaseManager,
    private readonly snapshots: CollectableSnapshots,
  ) {}

  async collect(): Promise<CollectResult> {
    this.leases.expire();
    const blobsOnDisk = await this.content.list();
    const trash: string[] = [];
    const result = this.db.transaction(() => {
      const leased = this.leases.active();
      const liveBlobs = new Set<string>(leased.blobs);
      for (const row of this.db.sqlite.prepare('SELECT DISTINCT digest FROM image_blobs').all() as { digest: string }[]) liveBlobs.add(row.digest);

      const snapshots = this.snapshots.list();
      const byKey = new Map(snapshots.map((s) => [s.key, s]));
      const liveSnapshots = new Set<string>();
      const mark = (key: string | null): void => {
        for (let current = key; current !== null && !liveSnapshots.has(current); current = byKey.get(current)?.parent ?? null) {
          liveSnapshots.add(current);
        }
      };
      for (const row of this.db.sqlite.prepare('SELECT top_chain_id FROM images WHERE top_chain_id IS NOT NULL').all() as { top_chain_id: string }[]) mark(row.top_chain_id);
      for (const s of snapshots) if (s.kind === 'active') mark(s.key);
      for (const key of leased.snapshots) mark(key);

      let bytesFreed = 0;
      let blobsRemoved = 0;
      for (const blob of blobsOnDisk) {
        if (liveBlobs.has(blob.digest)) continue;
        try {
          unlinkSync(this.content.path(blob.digest));
          blobsRemoved++;
          bytesFreed += blob.size;
        } catch (err) {
          if (errnoCode(err) !== 'ENOENT') throw err;
        }
      }
      // Children before parents, so the parent foreign key holds at every step.
      const dead = snapshots.filter((s) => !liveSnapshots.has(s.key));
      const depth = (s: SnapshotRow): number => {
        let d = 0;
        for (let p = s.parent; p !== null; p = byKey.get(p)?.parent ?? null) d++;
        return d;
      };
      dead.sort((a, b) => depth(b) - depth(a));
      for (const s of dead) {
        const aside = this.snapshots.detach(s.key);
        if (aside !== null) trash.push(aside);
        bytesFreed += s.size;
      }
      return { blobsRemoved, snapshotsRemoved: dead.length, bytesFreed };
    });
    for (const dir of trash) await rm(dir, { recursive: true, force: true });
    return result;
  }
}
