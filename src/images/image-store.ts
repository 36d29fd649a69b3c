import type { Clock } from '../base/clock.js';
import { isDigest, type Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import type { Database } from '../store/database.js';
import { formatReference, parseReference } from '../oci/reference.js';
import type { ImageRecord, NewImage } from './image-record.js';

interface ImageRow {
  id: string;
  manifest_digest: string;
  manifest_media_type: string;
  index_digest: string | null;
  os: string;
  architecture: string;
  variant: string | null;
  top_chain_id: string | null;
  size: number;
  created_at: string;
  loaded_at: string;
}

/** The shortest id prefix `resolve` accepts, as Docker's short ids. */
const MIN_ID_PREFIX = 4;

/**
 * Image metadata: records, their names and the blobs they keep alive. Synchronous; each
 * mutation is one transaction. Names are unique: giving a name to an image moves it.
 */
export class ImageStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  list(): ImageRecord[] {
    const rows = this.db.sqlite.prepare('SELECT * FROM images ORDER BY created_at DESC, id').all() as ImageRow[];
    const names = this.db.sqlite.prepare('SELECT name, image_id FROM image_names ORDER BY name').all() as {
      name: string;
      image_id: string;
    }[];
    const byImage = new Map<string, string[]>();
    for (const { name, image_id } of names) byImage.set(image_id, [...(byImage.get(image_id) ?? []), name]);
    const digests = this.db.sqlite.prepare('SELECT reference, image_id FROM image_repo_digests ORDER BY reference').all() as { reference: string; image_id: string }[];
    const digestsByImage = new Map<string, string[]>();
    for (const { reference, image_id } of digests) digestsByImage.set(image_id, [...(digestsByImage.get(image_id) ?? []), reference]);
    return rows.map((row) => toRecord(row, byImage.get(row.id) ?? [], digestsByImage.get(row.id) ?? []));
  }

  /** By id or name; undefined if none. */
  find(id: Digest): ImageRecord | undefined {
    const row = this.db.sqlite.prepare('SELECT * FROM images WHERE id = ?').get(id) as ImageRow | undefined;
    return row ? toRecord(row, this.namesOf(id), this.repoDigestsOf(id)) : undefined;
  }

  private repoDigestsOf(id: string): string[] {
    return (this.db.sqlite.prepare('SELECT reference FROM image_repo_digests WHERE image_id = ? ORDER BY reference').all(id) as { reference: string }[]).map(
      (row) => row.reference,
    );
  }

  /** Records that image `id` is `reference` (`repository@digest`) in a registry, e.g. after a push. */
  addRepoDigest(id: Digest, reference: string): void {
    this.db.sqlite.prepare('INSERT OR IGNORE INTO image_repo_digests (image_id, reference) VALUES (?, ?)').run(id, reference);
  }

  namesOf(id: string): string[] {
    return (this.db.sqlite.prepare('SELECT name FROM image_names WHERE image_id = ? ORDER BY name').all(id) as { name: string }[]).map(
      (row) => row.name,
    );
  }

  /**
   * Finds an image by full id (`sha256:…`), id prefix (with or without `sha256:`, at least 4 hex
   * digits, unambiguous) or name (normalized as Docker does). Throws not-found (reason
   * `image-not-found`) or invalid-argument for an ambiguous prefix.
   */
  resolve(text: string): ImageRecord {
    if (isDigest(text)) {
      const found = this.find(text);
      if (found) return found;
    }
    const hex = text.startsWith('sha256:') ? text.slice(7) : text;
    if (/^[0-9a-f]+$/.test(hex) && hex.length >= MIN_ID_PREFIX) {
      const rows = this.db.sqlite.prepare("SELECT id FROM images WHERE id LIKE ? ESCAPE '\\'").all(`sha256:${hex}%`) as { id: Digest }[];
      if (rows.length > 1) throw errors.invalidArgument('ambiguous-image-id', `image id prefix ${text} matches ${rows.length} images`);
      const only = rows[0];
      if (only) return this.find(only.id) ?? notFound(text);
    }
    let name: string;
    try {
      name = formatReference(parseReference(text));
    } catch {
      return notFound(text); // neither an id nor a valid reference: no image has that name
    }
    const row = this.db.sqlite.prepare('SELECT image_id FROM image_names WHERE name = ?').get(name) as { image_id: Digest } | undefined;
    return (row && this.find(row.image_id)) ?? notFound(text);
  }

  /**
   * Records images (or adds names to existing ones) in one transaction: all or none, with what
   * `alsoRecord` writes. Returns the names that moved away from other images.
   */
  record(images: NewImage[], alsoRecord?: () => void): { movedFrom: Map<string, string> } {
    const movedFrom = new Map<string, string>();
    const now = this.clock.now().toISOString();
    this.db.transaction(() => {
      for (const image of images) {
      this.db.sqlite
        .prepare(
          `INSERT OR IGNORE INTO images (id, manifest_digest, manifest_media_type, index_digest, os, architecture, variant,
             top_chain_id, size, created_at, loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(image.id, image.manifestDigest, image.manifestMediaType, image.indexDigest, image.os, image.architecture,
          image.variant, image.topChainId, image.size, image.createdAt, now);
      const addBlob = this.db.sqlite.prepare('INSERT OR IGNORE INTO image_blobs (image_id, digest) VALUES (?, ?)');
      for (const digest of image.blobs) addBlob.run(image.id, digest);
      for (const reference of image.repoDigests ?? []) this.addRepoDigest(image.id, reference);
      for (const name of image.names) {
        const previous = this.setName(name, image.id, now);
        if (previous !== undefined) movedFrom.set(name, previous);
      }
      }
      alsoRecord?.();
    });
    return { movedFrom };
  }

  /** Points `name` at image `id`; returns the image it pointed at before, if another. */
  tag(id: Digest, name: string): string | undefined {
    return this.db.transaction(() => {
      if (!this.find(id)) notFound(id);
      return this.setName(name, id, this.clock.now().toISOString());
    });
  }

  /** Removes a name; not-found if it does not exist. */
  untag(name: string): void {
    const result = this.db.sqlite.prepare('DELETE FROM image_names WHERE name = ?').run(name);
    if (result.changes === 0) throw errors.notFound('image-name-not-found', `no image named ${name}`);
  }

  /**
   * Gives image `id` another manifest (the same config, so the same id, names and layers): the
   * manifest, its media type and the blobs it keeps alive are replaced in one transaction, and the
   * index it was selected from is dropped (it names the old manifest). Throws not-found for an
   * unknown image, conflict when its manifest is no longer `expected` (another writer replaced it).
   */
  replaceManifest(id: Digest, expected: Digest, manifest: { digest: Digest; mediaType: string; blobs: readonly Digest[] }): void {
    this.db.transaction(() => {
      const row = this.db.sqlite.prepare('SELECT manifest_digest FROM images WHERE id = ?').get(id) as { manifest_digest: string } | undefined;
      if (row === undefined) notFound(id);
      if (row.manifest_digest !== expected) throw errors.conflict('manifest-changed', `image ${id}: its manifest changed meanwhile (${row.manifest_digest})`);
      this.db.sqlite.prepare('UPDATE images SET manifest_digest = ?, manifest_media_type = ?, index_digest = NULL WHERE id = ?').run(manifest.digest, manifest.mediaType, id);
      this.db.sqlite.prepare('DELETE FROM image_blobs WHERE image_id = ?').run(id);
      const addBlob = this.db.sqlite.prepare('INSERT OR IGNORE INTO image_blobs (image_id, digest) VALUES (?, ?)');
      for (const digest of manifest.blobs) addBlob.run(id, digest);
    });
  }

  /** Deletes an image record with its names and blob references (the GC reclaims the space). */
  delete(id: Digest): void {
    this.db.sqlite.prepare('DELETE FROM images WHERE id = ?').run(id);
  }

  private setName(name: string, id: string, now: string): string | undefined {
    const previous = this.db.sqlite.prepare('SELECT image_id FROM image_names WHERE name = ?').get(name) as { image_id: string } | undefined;
    this.db.sqlite
      .prepare('INSERT INTO image_names (name, image_id, updated_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET image_id = excluded.image_id, updated_at = excluded.updated_at')
      .run(name, id, now);
    return previous && previous.image_id !== id ? previous.image_id : undefined;
  }
}

function notFound(text: string): never {
  throw errors.notFound('image-not-found', `No such image: ${text}`);
}

function toRecord(row: ImageRow, names: string[], repoDigests: string[]): ImageRecord {
  return {
    id: row.id as Digest,
    manifestDigest: row.manifest_digest as Digest,
    manifestMediaType: row.manifest_media_type,
    indexDigest: row.index_digest as Digest | null,
    os: row.os,
    architecture: row.architecture,
    variant: row.variant,
    topChainId: row.top_chain_id,
    size: row.size,
    createdAt: row.created_at,
    loadedAt: row.loaded_at,
    names,
    repoDigests,
  };
}
