import type { ScanDatabase } from '../scan-database.js';
import { osvRecordSchema, type OsvRecord } from './osv-schema.js';
import { baseEcosystem } from './versions/ecosystem-versions.js';
import type { ImportResult } from '../../wire/security.js';

/** How an ecosystem keys package names: PyPI names are case- and separator-insensitive (PEP 503). */
export function normalizeName(ecosystem: string, name: string): string {
  return baseEcosystem(ecosystem) === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

/**
 * OSV records in the scan database, indexed by (ecosystem, package name). An import is one
 * transaction: either every record of it is stored or none. Each import bumps `generation`.
 */
export class VulnDatabase {
  constructor(private readonly db: ScanDatabase) {}

  import(records: OsvRecord[]): ImportResult {
    const result: ImportResult = { imported: 0, replaced: 0, unchanged: 0 };
    const sql = this.db.sqlite;
    const existing = sql.prepare('SELECT modified FROM osv_records WHERE id = ?');
    const del = sql.prepare('DELETE FROM osv_records WHERE id = ?');
    const insert = sql.prepare('INSERT INTO osv_records (id, modified, withdrawn, json) VALUES (?, ?, ?, ?)');
    const index = sql.prepare('INSERT INTO osv_affected (record_id, ecosystem, name) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const record of records) {
        const before = existing.get(record.id) as { modified: string } | undefined;
        if (before !== undefined && Date.parse(before.modified) >= Date.parse(record.modified)) {
          result.unchanged++;
          continue;
        }
        if (before !== undefined) {
          del.run(record.id);
          result.replaced++;
        } else {
          result.imported++;
        }
        insert.run(record.id, record.modified, record.withdrawn ?? null, JSON.stringify(record));
        const keys = new Set<string>();
        for (const affected of record.affected ?? []) {
          if (affected.package === undefined) continue;
          const eco = baseEcosystem(affected.package.ecosystem);
          const key = `${eco}\0${normalizeName(eco, affected.package.name)}`;
          if (keys.has(key)) continue;
          keys.add(key);
          index.run(record.id, eco, normalizeName(eco, affected.package.name));
        }
      }
      sql.prepare("INSERT INTO scan_meta (key, value) VALUES ('generation', '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1").run();
    });
    return result;
  }

  /** Records naming a package in an ecosystem (base name, e.g. `Debian`). Withdrawn ones included. */
  recordsFor(ecosystem: string, name: string): OsvRecord[] {
    const rows = this.db.sqlite
      .prepare('SELECT r.json FROM osv_affected a JOIN osv_records r ON r.id = a.record_id WHERE a.ecosystem = ? AND a.name = ?')
      .all(ecosystem, normalizeName(ecosystem, name)) as { json: string }[];
    // Stored records were validated on import; a row that no longer parses is skipped.
    return rows.flatMap((row) => {
      const parsed = osvRecordSchema.safeParse(JSON.parse(row.json));
      return parsed.success ? [parsed.data] : [];
    });
  }

  count(): number {
    return (this.db.sqlite.prepare('SELECT count(*) AS n FROM osv_records').get() as { n: number }).n;
  }

  /** Increases with every import: a scan made at an older generation may miss findings. */
  generation(): number {
    const row = this.db.sqlite.prepare("SELECT value FROM scan_meta WHERE key = 'generation'").get() as { value: string } | undefined;
    return Number(row?.value ?? 0);
  }
}
