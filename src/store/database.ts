import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { errors, messageOf } from '../base/errors.js';
import { migrateSchema } from './schema-migrator.js';
import type { DatabaseSchema } from './table-schema.js';

export type SqliteDatabase = BetterSqlite3.Database;

/** How long a connection waits for another process's lock before it fails. */
const BUSY_TIMEOUT_MS = 30_000;
const BUSY_RETRY_MS = 20;

/**
 * Puts the file in WAL mode. Processes opening a new state root at once have seen this fail with
 * SQLITE_BUSY at once (the change to WAL takes an exclusive lock, and the busy handler did not
 * wait for it), so the change is retried, a short sleep apart, within the busy timeout.
 */
function walMode(sqlite: SqliteDatabase): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      sqlite.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const busy = err instanceof Error && 'code' in err && err.code === 'SQLITE_BUSY';
      if (!busy || Date.now() >= deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, BUSY_RETRY_MS);
    }
  }
}

/**
 * The node's metadata database: one SQLite file in WAL mode, shared by every berth process on the
 * state root. Calls are synchronous; `transaction` runs its callback as one atomic unit (BEGIN
 * IMMEDIATE, so concurrent writers queue on the busy timeout instead of failing).
 */
export class Database {
  readonly sqlite: SqliteDatabase;

  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  private constructor(sqlite: SqliteDatabase) {
    this.sqlite = sqlite;
  }

  /**
   * The prepared statement of `sql`, compiled once per database and then reused (compiling is
   * most of the cost of a small query). Only for plain run/get/all: a statement from here must
   * not be switched to pluck/raw/safeIntegers mode nor iterated.
   */
  statement(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.sqlite.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Opens (creating if needed) and migrates the database at `path` to `schema`: the tables of the
   * modules that keep their rows in this file, each module's migrations defined by the module that
   * owns them (the node's file: daemon/node-schema.ts; the registry's: its own). Throws unavailable
   * `database-open` when the file cannot be opened, failed-precondition `database-too-new` when a
   * newer berth migrated it further.
   */
  static open(path: string, schema: DatabaseSchema): Database {
    mkdirSync(dirname(path), { recursive: true });
    let sqlite: SqliteDatabase;
    try {
      sqlite = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS });
      walMode(sqlite);
      sqlite.pragma('synchronous = FULL');
      sqlite.pragma('foreign_keys = ON');
    } catch (cause) {
      throw errors.unavailable('database-open', `cannot open metadata database ${path}: ${messageOf(cause)}`, { cause });
    }
    const db = new Database(sqlite);
    db.migrate(schema);
    return db;
  }

  get schemaVersion(): number {
    return this.sqlite.pragma('user_version', { simple: true }) as number;
  }

  private migrate(schema: DatabaseSchema): void {
    this.sqlite.transaction(() => { migrateSchema(this.sqlite, schema); }).immediate();
  }

  /** Runs `fn` in one write transaction; a throw rolls everything back. */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  close(): void {
    this.sqlite.close();
  }
}
