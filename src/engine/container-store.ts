/**
 * The containers table. Names are unique; ids are resolved from a full id, a unique id prefix or a
 * name (with or without Docker's leading slash). Reads validate the stored JSON.
 */
import { errors } from '../base/errors.js';
import { parseJson } from '../oci/parse-json.js';
import type { Database } from '../store/database.js';
import {
  containerConfigSchema, containerStateSchema, type ContainerConfig, type ContainerRecord, type ContainerState,
} from './container-record.js';

interface Row {
  id: string;
  name: string;
  image_id: string;
  created_at: string;
  config: string;
  state: string;
}

function fromRow(row: Row): ContainerRecord {
  return {
    id: row.id,
    name: row.name,
    imageId: row.image_id,
    createdAt: row.created_at,
    config: parseJson(containerConfigSchema, row.config, `container ${row.id} config`),
    state: parseJson(containerStateSchema, row.state, `container ${row.id} state`),
  };
}

const COLUMNS = 'id, name, image_id, created_at, config, state';

/** Synchronous, like the database; every method is one statement or one transaction. */
export class ContainerStore {
  constructor(private readonly db: Database) {}

  /** Adds a container. Throws conflict (`container-name-taken`) when the name is in use. */
  insert(record: ContainerRecord): void {
    this.db.transaction(() => {
      const holder = this.db.statement('SELECT id FROM containers WHERE name = ?').get(record.name) as { id: string } | undefined;
      if (holder !== undefined) {
        throw errors.conflict('container-name-taken',
          `Conflict. The container name "/${record.name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`);
      }
      this.db.statement(`INSERT INTO containers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`).run(
        record.id, record.name, record.imageId, record.createdAt, JSON.stringify(record.config), JSON.stringify(record.state),
      );
    });
  }

  /** The container with this exact id, or undefined. */
  find(id: string): ContainerRecord | undefined {
    const row = this.db.statement(`SELECT ${COLUMNS} FROM containers WHERE id = ?`).get(id) as Row | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  /** The container with this name (no leading slash), or undefined. */
  findByName(name: string): ContainerRecord | undefined {
    const row = this.db.statement(`SELECT ${COLUMNS} FROM containers WHERE name = ?`).get(name) as Row | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  /**
   * Resolves a full id, a name, or a unique id prefix, as Docker does. Throws not-found
   * (`no-such-container`) when nothing matches, invalid-argument (`ambiguous-container`) when a
   * prefix matches several.
   */
  resolve(ref: string): ContainerRecord {
    const name = ref.startsWith('/') ? ref.slice(1) : ref;
    const sqlite = this.db.sqlite;
    const exact = (sqlite.prepare(`SELECT ${COLUMNS} FROM containers WHERE id = ?`).get(ref)
      ?? sqlite.prepare(`SELECT ${COLUMNS} FROM containers WHERE name = ?`).get(name)) as Row | undefined;
    if (exact !== undefined) return fromRow(exact);
    if (/^[0-9a-f]+$/.test(ref)) {
      const rows = sqlite.prepare(`SELECT ${COLUMNS} FROM containers WHERE id >= ? AND id < ? LIMIT 2`).all(ref, `${ref}g`) as Row[];
      if (rows.length > 1) throw errors.invalidArgument('ambiguous-container', `multiple containers found with provided prefix: ${ref}`);
      if (rows[0] !== undefined) return fromRow(rows[0]);
    }
    throw errors.notFound('no-such-container', `No such container: ${ref}`);
  }

  /** Every container, newest first. */
  list(): ContainerRecord[] {
    const rows = this.db.statement(`SELECT ${COLUMNS} FROM containers ORDER BY created_at DESC, rowid DESC`).all() as Row[];
    return rows.map(fromRow);
  }

  /** Replaces the observed state. Throws not-found (`no-such-container`) when the row is gone. */
  setState(id: string, state: ContainerState): void {
    const result = this.db.statement('UPDATE containers SET state = ? WHERE id = ?').run(JSON.stringify(state), id);
    if (result.changes === 0) throw errors.notFound('no-such-container', `No such container: ${id}`);
  }

  /** Renames a container. Throws conflict (`container-name-taken`) when another container has the name. */
  rename(id: string, name: string): void {
    this.db.transaction(() => {
      const holder = this.db.statement('SELECT id FROM containers WHERE name = ?').get(name) as { id: string } | undefined;
      if (holder !== undefined && holder.id !== id) {
        throw errors.conflict('container-name-taken', `Conflict. The container name "/${name}" is already in use by container "${holder.id}". You have to remove (or rename) that container to be able to reuse that name.`);
      }
      const result = this.db.statement('UPDATE containers SET name = ? WHERE id = ?').run(name, id);
      if (result.changes === 0) throw errors.notFound('no-such-container', `No such container: ${id}`);
    });
  }

  /** Replaces the recorded intent (a live `update`). Throws not-found (`no-such-container`) when the row is gone. */
  setConfig(id: string, config: ContainerConfig): void {
    const result = this.db.statement('UPDATE containers SET config = ? WHERE id = ?').run(JSON.stringify(config), id);
    if (result.changes === 0) throw errors.notFound('no-such-container', `No such container: ${id}`);
  }

  /** Deletes the record (no-op when already gone). */
  delete(id: string): void {
    this.db.statement('DELETE FROM containers WHERE id = ?').run(id);
  }

  /** Whether any container was created from this image. */
  usesImage(imageId: string): boolean {
    return this.db.statement('SELECT 1 FROM containers WHERE image_id = ? LIMIT 1').get(imageId) !== undefined;
  }
}
