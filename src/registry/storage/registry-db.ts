import { Database } from '../../store/database.js';
import { REGISTRY_SCHEMA } from './registry-migrations.js';

/** Opens (and migrates) the registry's own SQLite file with the project's database helper. */
export function openRegistryDatabase(path: string): Database {
  return Database.open(path, REGISTRY_SCHEMA);
}

/** Makes sure the repository row exists (call inside a transaction). */
export function ensureRepository(db: Database, name: string, now: Date): void {
  db.sqlite.prepare('INSERT OR IGNORE INTO repositories (name, created_at) VALUES (?, ?)').run(name, now.toISOString());
}
