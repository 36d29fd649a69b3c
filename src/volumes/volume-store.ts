/** The `volumes` table. Synchronous, like the database; every method is one statement. */
import { errors } from '../base/errors.js';
import { parseJson } from '../oci/parse-json.js';
import type { Database } from '../store/database.js';
import { stringRecordSchema, type VolumeRecord } from './volume-record.js';

interface Row {
  name: string;
  driver: string;
  created_at: string;
  labels: string;
  options: string;
  anonymous: number;
  seeded: number;
}

function fromRow(row: Row): VolumeRecord {
  return {
    name: row.name,
    driver: row.driver,
    createdAt: row.created_at,
    labels: parseJson(stringRecordSchema, row.labels, `volume ${row.name} labels`),
    options: parseJson(stringRecordSchema, row.options, `volume ${row.name} options`),
    anonymous: row.anonymous !== 0,
    seeded: row.seeded !== 0,
  };
}

export class VolumeStore {
  constructor(private readonly db: Database) {}

  /** Adds a volume; false (and no change) when the name exists already. */
  insert(record: VolumeRecord): boolean {
    const result = this.db.statement(
      'INSERT OR IGNORE INTO volumes (name, driver, created_at, labels, options, anonymous, seeded) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(record.name, record.driver, record.createdAt, JSON.stringify(record.labels), JSON.stringify(record.options), record.anonymous ? 1 : 0, record.seeded ? 1 : 0);
    return result.changes > 0;
  }

  find(name: string): VolumeRecord | undefined {
    const row = this.db.statement('SELECT * FROM volumes WHERE name = ?').get(name) as Row | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  /** Throws not-found (`no-such-volume`). */
  get(name: string): VolumeRecord {
    const record = this.find(name);
    if (record === undefined) throw errors.notFound('no-such-volume', `get ${name}: no such volume`);
    return record;
  }

  list(): VolumeRecord[] {
    return (this.db.statement('SELECT * FROM volumes ORDER BY name').all() as Row[]).map(fromRow);
  }

  markSeeded(name: string): void {
    this.db.statement('UPDATE volumes SET seeded = 1 WHERE name = ?').run(name);
  }

  delete(name: string): void {
    this.db.statement('DELETE FROM volumes WHERE name = ?').run(name);
  }
}
