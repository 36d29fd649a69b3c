import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { errors, messageOf } from '../base/errors.js';

/** The scanner's own database file under a state root (not berth.db: it can be rebuilt at will). */
export function scanDatabasePath(stateRoot: string): string {
  return join(stateRoot, 'scan', 'vulns.db');
}

/** Append-only, like the node's metadata migrations; `user_version` counts what ran. */
const MIGRATIONS: readonly string[] = [
  // 1: OSV records, their affected packages indexed by (ecosystem, name), cached layer inventories.
  `
  CREATE TABLE osv_records (
    id TEXT PRIMARY KEY,
    modified TEXT NOT NULL,
    withdrawn TEXT,
    json TEXT NOT NULL                 -- the validated record
  );
  CREATE TABLE osv_affected (
    record_id TEXT NOT NULL REFERENCES osv_records(id) ON DELETE CASCADE,
    ecosystem TEXT NOT NULL,           -- without the release: Debian, npm, PyPI, …
    name TEXT NOT NULL                 -- package name as the ecosystem keys it (PyPI normalized)
  );
  CREATE INDEX osv_affected_by_package ON osv_affected(ecosystem, name);
  CREATE INDEX osv_affected_by_record ON osv_affected(record_id);
  CREATE TABLE layer_inventories (
    diff_id TEXT PRIMARY KEY,
    walker_version INTEGER NOT NULL,
    inventory TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE scan_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: the last scan of each image, and the findings already reported for it (rescans).
  `
  CREATE TABLE image_scans (
    image_id TEXT PRIMARY KEY,
    scanned_at TEXT NOT NULL,          -- ISO 8601
    generation INTEGER NOT NULL,       -- of the OSV records matched
    counts TEXT NOT NULL               -- {"CRITICAL": n, "HIGH": n, …}
  );
  CREATE TABLE reported_findings (
    image_id TEXT NOT NULL,
    finding TEXT NOT NULL,             -- advisory id, package name and version (findingKey)
    severity TEXT NOT NULL,
    reported_at TEXT NOT NULL,
    PRIMARY KEY (image_id, finding)
  );
  `,
];

/**
 * The scanner's SQLite database (WAL, like berth.db): vulnerability records and the layer
 * inventory cache. Calls are synchronous; `transaction` is BEGIN IMMEDIATE.
 */
export class ScanDatabase {
  private constructor(readonly sqlite: BetterSqlite3.Database) {}

  static open(path: string): ScanDatabase {
    let sqlite: BetterSqlite3.Database;
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      sqlite = new BetterSqlite3(path, { timeout: 30_000 });
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
    } catch (cause) {
      throw errors.unavailable('scan-database-open', `cannot open scan database ${path}: ${messageOf(cause)}`, { cause });
    }
    const db = new ScanDatabase(sqlite);
    db.sqlite.transaction(() => {
      const current = db.sqlite.pragma('user_version', { simple: true }) as number;
      if (current > MIGRATIONS.length) throw errors.failedPrecondition('scan-database-too-new', `scan database ${path} has schema ${current}, newer than this berth: upgrade berth`);
      for (let v = current; v < MIGRATIONS.length; v++) {
        db.sqlite.exec(MIGRATIONS[v] ?? '');
        db.sqlite.pragma(`user_version = ${v + 1}`);
      }
    }).immediate();
    return db;
  }

  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  close(): void {
    this.sqlite.close();
  }
}
