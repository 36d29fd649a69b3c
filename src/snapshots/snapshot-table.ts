import type { Clock } from '../base/clock.js';
import type { Database } from '../store/database.js';
import { errors } from '../base/errors.js';
import type { SnapshotInfo, SnapshotKind } from './snapshot-types.js';

interface SnapshotRow {
  key: string;
  id: number;
  parent: string | null;
  kind: SnapshotKind;
  size: number;
  created_at: string;
  labels: string;
}

/** The rows of the `snapshots` table. Synchronous; call inside `db.transaction` to combine steps. */
export class SnapshotTable {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  find(key: string): SnapshotInfo | undefined {
    const row = this.db.sqlite.prepare('SELECT * FROM snapshots WHERE key = ?').get(key) as SnapshotRow | undefined;
    return row === undefined ? undefined : toInfo(row);
  }

  /** Throws not-found `snapshot-not-found`. */
  get(key: string): SnapshotInfo {
    const info = this.find(key);
    if (info === undefined) throw errors.notFound('snapshot-not-found', `snapshot "${key}" does not exist`, { details: { key } });
    return info;
  }

  list(): SnapshotInfo[] {
    return (this.db.sqlite.prepare('SELECT * FROM snapshots ORDER BY id').all() as SnapshotRow[]).map(toInfo);
  }

  ids(): Set<number> {
    const rows = this.db.sqlite.prepare('SELECT id FROM snapshots').all() as { id: number }[];
    return new Set(rows.map((row) => row.id));
  }

  nextId(): number {
    const row = this.db.sqlite.prepare('SELECT coalesce(max(id), 0) + 1 AS next FROM snapshots').get() as { next: number };
    return row.next;
  }

  hasChildren(key: string): boolean {
    return this.db.sqlite.prepare('SELECT 1 FROM snapshots WHERE parent = ? LIMIT 1').get(key) !== undefined;
  }

  /** The committed parent `key` for a new snapshot; throws failed-precondition when unusable. */
  requireParent(key: string | null): SnapshotInfo | null {
    if (key === null) return null;
    const parent = this.find(key);
    if (parent === undefined) throw errors.failedPrecondition('parent-not-found', `parent snapshot "${key}" does not exist`);
    if (parent.kind !== 'committed') {
      throw errors.failedPrecondition('parent-not-committed', `parent snapshot "${key}" is active, not committed`);
    }
    return parent;
  }

  insert(info: Omit<SnapshotInfo, 'createdAt'>): SnapshotInfo {
    const createdAt = this.clock.now().toISOString();
    this.db.sqlite
      .prepare('INSERT INTO snapshots (key, id, parent, kind, size, created_at, labels) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(info.key, info.id, info.parent, info.kind, info.size, createdAt, JSON.stringify(info.labels));
    return { ...info, createdAt };
  }

  /** Renames active `activeKey` to committed `key` with its final size. */
  markCommitted(activeKey: string, key: string, size: number): void {
    this.db.sqlite.prepare("UPDATE snapshots SET key = ?, kind = 'committed', size = ? WHERE key = ?").run(key, size, activeKey);
  }

  delete(key: string): void {
    this.db.sqlite.prepare('DELETE FROM snapshots WHERE key = ?').run(key);
  }

  /** The committed chain below `info`, nearest parent first. */
  ancestors(info: SnapshotInfo): SnapshotInfo[] {
    const chain: SnapshotInfo[] = [];
    for (let parent = info.parent; parent !== null; ) {
      const next = this.get(parent);
      chain.push(next);
      parent = next.parent;
    }
    return chain;
  }
}

function toInfo(row: SnapshotRow): SnapshotInfo {
  return {
    key: row.key,
    id: row.id,
    parent: row.parent,
    kind: row.kind,
    size: row.size,
    createdAt: row.created_at,
    labels: JSON.parse(row.labels) as Record<string, string>,
  };
}
