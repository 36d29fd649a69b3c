import type BetterSqlite3 from 'better-sqlite3';
import { errors } from '../base/errors.js';
import type { DatabaseSchema, TableSchema } from './table-schema.js';

/** Where each module's progress is recorded: the count of its migrations that have run. */
const PROGRESS_TABLE = 'schema_migrations';

/**
 * Brings a database file up to `schema`, in the caller's write transaction.
 *
 * A file made before per-module migrations has no progress table and counts its migrations in
 * `user_version`; its progress is taken from `schema.legacy` first (a count beyond that list is a
 * newer berth's: failed-precondition `database-too-new`). Then each module runs the migrations it
 * has not run yet. A module that has run more than it knows throws `database-too-new` too.
 *
 * `user_version` stays the legacy count plus every migration run beyond the legacy list, so a
 * berth that still counts one list opens the file exactly when its schema is the one it knows.
 */
export function migrateSchema(sqlite: BetterSqlite3.Database, schema: DatabaseSchema): void {
  const legacy = schema.legacy ?? [];
  const progress = readProgress(sqlite, legacy);
  const upsert = sqlite.prepare(`INSERT INTO ${PROGRESS_TABLE} (module, version) VALUES (?, ?) ON CONFLICT(module) DO UPDATE SET version = excluded.version`);
  for (const table of schema.tables) {
    const current = progress.get(table.module) ?? 0;
    if (current > table.migrations.length) throw tooNew(`tables of ${table.module} at version ${current}, newer than this berth (${table.migrations.length})`);
    for (let version = current; version < table.migrations.length; version++) sqlite.exec(table.migrations[version] ?? '');
    upsert.run(table.module, table.migrations.length);
    progress.set(table.module, table.migrations.length);
  }
  const beyondLegacy = schema.tables.reduce((sum, table) => sum + (progress.get(table.module) ?? 0) - legacyVersion(legacy, table), 0);
  sqlite.pragma(`user_version = ${legacy.length + beyondLegacy}`);
}

/** Each module's recorded progress; on a file without the progress table, taken from its `user_version`. */
function readProgress(sqlite: BetterSqlite3.Database, legacy: DatabaseSchema['legacy'] & object): Map<string, number> {
  const exists = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(PROGRESS_TABLE) !== undefined;
  const progress = new Map<string, number>();
  if (exists) {
    for (const row of sqlite.prepare(`SELECT module, version FROM ${PROGRESS_TABLE}`).all() as { module: string; version: number }[]) progress.set(row.module, row.version);
    return progress;
  }
  const applied = sqlite.pragma('user_version', { simple: true }) as number;
  if (applied > legacy.length) throw tooNew(`schema ${applied}, newer than this berth (${legacy.length})`);
  for (const step of legacy.slice(0, applied)) for (const [module, version] of Object.entries(step)) progress.set(module, version);
  sqlite.exec(`CREATE TABLE ${PROGRESS_TABLE} (module TEXT PRIMARY KEY, version INTEGER NOT NULL)`);
  return progress;
}

/** The version a module has once the whole legacy list has run (0 for a module it did not know). */
function legacyVersion(legacy: DatabaseSchema['legacy'] & object, table: TableSchema): number {
  let version = 0;
  for (const step of legacy) version = step[table.module] ?? version;
  return version;
}

function tooNew(what: string): Error {
  return errors.failedPrecondition('database-too-new', `metadata database has ${what}: upgrade berth`);
}
