import { randomBytes } from 'node:crypto';
import type { Clock } from '../base/clock.js';
import { isOwnerAlive, isProcessAlive, ownerTag } from '../base/process-alive.js';
import type { Database } from './database.js';

export type LeaseResourceType = 'blob' | 'snapshot';

/** What unexpired leases of live processes protect from garbage collection. */
export interface LeasedResources {
  blobs: Set<string>;
  snapshots: Set<string>;
}

/**
 * Leases protect resources that a writer is still assembling (blobs written before the image
 * row that references them is committed) from a concurrent garbage collection. A lease belongs
 * to a process: it stops protecting when it expires or its process is gone, whichever is first.
 * Add a resource to the lease BEFORE creating it. All methods are synchronous and transactional.
 */
export class LeaseManager {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  create(ttlMs = 24 * 3600 * 1000): string {
    // The id starts with the owner tag: a zombie or a reused pid does not keep the lease alive.
    const id = `${ownerTag()}-${randomBytes(12).toString('hex')}`;
    const now = this.clock.now();
    this.db.sqlite
      .prepare('INSERT INTO leases (id, pid, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(id, process.pid, now.toISOString(), new Date(now.getTime() + ttlMs).toISOString());
    return id;
  }

  add(leaseId: string, type: LeaseResourceType, key: string): void {
    this.db.sqlite
      .prepare('INSERT OR IGNORE INTO lease_resources (lease_id, type, key) VALUES (?, ?, ?)')
      .run(leaseId, type, key);
  }

  release(leaseId: string): void {
    this.db.sqlite.prepare('DELETE FROM leases WHERE id = ?').run(leaseId);
  }

  /** Deletes leases that expired or whose process is gone; returns how many. */
  expire(): number {
    const now = this.clock.now().toISOString();
    const rows = this.db.sqlite.prepare('SELECT id, pid, expires_at FROM leases').all() as {
      id: string;
      pid: number;
      expires_at: string;
    }[];
    const dead = rows.filter((row) => row.expires_at <= now || !leaseOwnerAlive(row));
    this.db.transaction(() => {
      for (const row of dead) this.db.sqlite.prepare('DELETE FROM leases WHERE id = ?').run(row.id);
    });
    return dead.length;
  }

  /** Resources held by live leases (call inside the GC's transaction for a consistent view). */
  active(): LeasedResources {
    const now = this.clock.now().toISOString();
    const rows = this.db.sqlite
      .prepare(
        `SELECT r.type, r.key, l.id, l.pid FROM lease_resources r JOIN leases l ON l.id = r.lease_id
         WHERE l.expires_at > ?`,
      )
      .all(now) as { type: LeaseResourceType; key: string; id: string; pid: number }[];
    const result: LeasedResources = { blobs: new Set(), snapshots: new Set() };
    for (const row of rows) {
      if (!leaseOwnerAlive(row)) continue;
      (row.type === 'blob' ? result.blobs : result.snapshots).add(row.key);
    }
    return result;
  }
}

/** Whether the process that took a lease runs: by the owner tag its id starts with (older ids: the pid). */
function leaseOwnerAlive(row: { id: string; pid: number }): boolean {
  const tag = /^(\d+\.\d+)-/.exec(row.id)?.[1];
  return tag === undefined ? isProcessAlive(row.pid) : isOwnerAlive(tag);
}
