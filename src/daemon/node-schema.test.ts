import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { isBerthError } from '../base/errors.js';
import { Database } from '../store/database.js';
import type { DatabaseSchema } from '../store/table-schema.js';
import { REGISTRY_SCHEMA, REGISTRY_TABLES } from '../registry/storage/registry-migrations.js';
import { LEASE_TABLES } from '../store/lease-tables.js';
import { LEGACY_NODE_MIGRATIONS } from '../../test/support/legacy-node-migrations.js';
import { NODE_SCHEMA } from './node-schema.js';

/** A file migrated as berth did with one list: the first `count` migrations, `user_version` = count. */
function legacyFile(path: string, migrations: readonly string[], count: number): void {
  const sqlite = new BetterSqlite3(path);
  for (let version = 0; version < count; version++) {
    sqlite.exec(migrations[version] ?? '');
    sqlite.pragma(`user_version = ${version + 1}`);
  }
  sqlite.close();
}

interface SchemaRow { type: string; name: string; tbl_name: string; sql: string | null }

/** The schema as sqlite_master holds it (the per-module progress table left out), and user_version. */
function schemaOf(path: string): { rows: SchemaRow[]; userVersion: number } {
  const sqlite = new BetterSqlite3(path, { readonly: true });
  const rows = sqlite.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name != 'schema_migrations' ORDER BY type, name").all() as SchemaRow[];
  const userVersion = sqlite.pragma('user_version', { simple: true }) as number;
  sqlite.close();
  return { rows, userVersion };
}

function withDir(body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'berth-schema-'));
  try {
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function openAndClose(path: string, schema: DatabaseSchema): void {
  Database.open(path, schema).close();
}

/** The modules' versions when the former single list was frozen. */
const LEGACY_VERSIONS = Object.assign({}, ...NODE_SCHEMA.legacy ?? []) as Record<string, number>;
/** Migrations modules appended since (each counts one in `user_version`). */
const APPENDED = NODE_SCHEMA.tables.reduce((sum, t) => sum + t.migrations.length - (LEGACY_VERSIONS[t.module] ?? 0), 0);

test('the per-module node schema maps the former single list exactly', () => {
  const all = Object.entries(LEGACY_VERSIONS);
  for (const [module, version] of all) {
    const migrations = NODE_SCHEMA.tables.find((t) => t.module === module)?.migrations.length ?? 0;
    assert.ok(migrations >= version, `${module}: ${migrations} migrations, the former list had ${version}`);
  }
  assert.ok(APPENDED >= 0);
  assert.equal(all.length, NODE_SCHEMA.tables.length);
  assert.equal(NODE_SCHEMA.legacy?.length, LEGACY_NODE_MIGRATIONS.length);
});

test('a fresh node database has the schema the former single list made, with what modules appended since', () => {
  withDir((dir) => {
    legacyFile(join(dir, 'legacy.db'), LEGACY_NODE_MIGRATIONS, LEGACY_NODE_MIGRATIONS.length);
    openAndClose(join(dir, 'legacy.db'), NODE_SCHEMA);
    openAndClose(join(dir, 'fresh.db'), NODE_SCHEMA);
    assert.deepEqual(schemaOf(join(dir, 'fresh.db')), schemaOf(join(dir, 'legacy.db')));
  });
});

test('a node database migrated by the former list, at any version, opens without re-running or skipping', () => {
  withDir((dir) => {
    openAndClose(join(dir, 'fresh.db'), NODE_SCHEMA);
    const fresh = schemaOf(join(dir, 'fresh.db'));
    for (let count = 0; count <= LEGACY_NODE_MIGRATIONS.length; count++) {
      const path = join(dir, `legacy-${count}.db`);
      legacyFile(path, LEGACY_NODE_MIGRATIONS, count);
      openAndClose(path, NODE_SCHEMA); // a migration run twice would throw (table exists)
      assert.deepEqual(schemaOf(path), fresh, `from user_version ${count}`);
      openAndClose(path, NODE_SCHEMA); // and again: nothing left to run
      assert.deepEqual(schemaOf(path), fresh, `reopened, from user_version ${count}`);
    }
  });
});

test('rows written under the former list are kept', () => {
  withDir((dir) => {
    const path = join(dir, 'berth.db');
    legacyFile(path, LEGACY_NODE_MIGRATIONS, LEGACY_NODE_MIGRATIONS.length);
    const sqlite = new BetterSqlite3(path);
    sqlite.prepare("INSERT INTO volumes (name, driver, created_at) VALUES ('data', 'local', '2026-01-01T00:00:00Z')").run();
    sqlite.close();
    const db = Database.open(path, NODE_SCHEMA);
    assert.deepEqual(db.sqlite.prepare('SELECT name FROM volumes').all(), [{ name: 'data' }]);
    assert.equal(db.schemaVersion, LEGACY_NODE_MIGRATIONS.length + APPENDED);
    db.close();
  });
});

test('a database a newer berth migrated is refused', () => {
  withDir((dir) => {
    const legacy = join(dir, 'legacy-newer.db');
    const later = Array.from({ length: APPENDED + 1 }, (_, i) => `CREATE TABLE later${i} (x)`);
    legacyFile(legacy, [...LEGACY_NODE_MIGRATIONS, ...later], LEGACY_NODE_MIGRATIONS.length + later.length);
    assert.throws(() => { openAndClose(legacy, NODE_SCHEMA); }, (err: unknown) => isBerthError(err, 'failed-precondition') && err.reason === 'database-too-new');
    const modular = join(dir, 'modular-newer.db');
    const volumes = NODE_SCHEMA.tables.map((t) => (t.module === 'volumes' ? { ...t, migrations: [...t.migrations, 'ALTER TABLE volumes ADD COLUMN later TEXT'] } : t));
    openAndClose(modular, { ...NODE_SCHEMA, tables: volumes });
    assert.equal(schemaOf(modular).userVersion, LEGACY_NODE_MIGRATIONS.length + APPENDED + 1, 'a berth counting one list refuses it too');
    assert.throws(() => { openAndClose(modular, NODE_SCHEMA); }, (err: unknown) => isBerthError(err, 'failed-precondition') && err.reason === 'database-too-new');
  });
});

test('the registry database shares the store\'s lease tables and opens files of its former single migration', () => {
  /** Table and column shapes, without the comments and layout the statements carry. */
  const normalized = (path: string): string[] => schemaOf(path).rows.map((row) => `${row.type} ${row.name} ${(row.sql ?? '').replace(/--[^\n]*/g, '').replace(/\s+/g, ' ')}`);
  withDir((dir) => {
    const legacy = join(dir, 'legacy.db');
    legacyFile(legacy, [`${REGISTRY_TABLES.migrations[0] ?? ''}${LEASE_TABLES.migrations[0] ?? ''}`], 1);
    openAndClose(legacy, REGISTRY_SCHEMA);
    openAndClose(join(dir, 'fresh.db'), REGISTRY_SCHEMA);
    assert.deepEqual(normalized(legacy), normalized(join(dir, 'fresh.db')));
    assert.equal(schemaOf(legacy).userVersion, 1);
  });
});
