import { existsSync } from 'node:fs';
import type { Clock } from '../../base/clock.js';
import type { Digest } from '../../base/digest.js';
import { failpoint } from '../../base/failpoint.js';
import type { ContentStore } from '../../store/content-store.js';
import type { Database } from '../../store/database.js';
import type { LeaseManager } from '../../store/leases.js';
import type { ManifestReference } from '../names.js';
import { registryError } from '../registry-errors.js';
import { parseManifestDocument, type ManifestDocument } from './manifest-document.js';
import { ensureRepository } from './registry-db.js';
import { tagsHolding, tagTarget, type WriteGuard } from './tag-holders.js';

/** A stored manifest as a GET answers it. */
export interface StoredManifest {
  digest: Digest;
  mediaType: string;
  size: number;
  path: string;
}

interface RecordOptions {
  /** Refuse the manifest unless its blobs and child manifests are in the repository. */
  checkReferences: boolean;
  fetchedAt?: string;
  guard?: WriteGuard;
}

interface ManifestRow {
  digest: Digest;
  media_type: string;
  size: number;
}

/**
 * Manifests and tags of repositories. A push validates the document, writes its bytes to the
 * content store under a lease (so a concurrent collection spares them), then in ONE transaction checks that every referenced blob and child manifest is
 * in the repository (MANIFEST_BLOB_UNKNOWN otherwise), that the bytes are still on disk, and
 * records the manifest, what it references, and the tag. A crash before that commit leaves no
 * trace a client can see; the push can simply be redone.
 */
export class ManifestStore {
  constructor(
    private readonly db: Database,
    private readonly content: ContentStore,
    private readonly clock: Clock,
    private readonly leases: LeaseManager,
  ) {}

  /** A push; `guard` may refuse moving the tag (inside the transaction: a refused push records nothing). */
  async put(repository: string, reference: ManifestReference, bytes: Buffer, contentType: string | undefined, guard?: WriteGuard): Promise<ManifestDocument> {
    return this.store(repository, reference, bytes, contentType, { checkReferences: true, ...(guard !== undefined && { guard }) });
  }

  /**
   * Records a manifest fetched from an upstream by the pull-through cache: verified like a push,
   * but its blobs are fetched lazily, so they need not be here yet; a tag remembers `fetchedAt`.
   */
  async putCached(repository: string, reference: ManifestReference, bytes: Buffer, contentType: string | undefined, fetchedAt: string): Promise<ManifestDocument> {
    return this.store(repository, reference, bytes, contentType, { checkReferences: false, fetchedAt });
  }

  private async store(repository: string, reference: ManifestReference, bytes: Buffer, contentType: string | undefined, how: RecordOptions): Promise<ManifestDocument> {
    const doc = parseManifestDocument(bytes, contentType);
    if (reference.kind === 'digest' && reference.digest !== doc.digest) {
      throw registryError('DIGEST_INVALID', `manifest hashes to ${doc.digest}, not ${reference.digest}`, { digest: reference.digest });
    }
    // The bytes are on disk before their row exists: a lease keeps the collector off them.
    const lease = this.leases.create(3600_000);
    try {
      this.leases.add(lease, 'blob', doc.digest);
      await this.content.write(bytes, { digest: doc.digest });
      failpoint('registry-manifest-before-commit');
      this.db.transaction(() => {
        if (!existsSync(this.content.path(doc.digest))) throw registryError('UNAVAILABLE', `manifest ${doc.digest} vanished while being stored`);
        this.record(repository, reference, doc, how);
      });
    } finally {
      this.leases.release(lease);
    }
    return doc;
  }

  private record(repository: string, reference: ManifestReference, doc: ManifestDocument, how: RecordOptions): void {
    const sql = this.db.sqlite;
    if (reference.kind === 'tag') how.guard?.retag?.(reference.tag, tagTarget(this.db, repository, reference.tag), doc.digest);
    const missing: string[] = [];
    for (const blob of how.checkReferences ? doc.blobs : []) {
      const row = sql.prepare('SELECT 1 FROM repository_blobs WHERE repository = ? AND digest = ?').get(repository, blob);
      if (!row || !existsSync(this.content.path(blob))) missing.push(blob);
    }
    for (const child of how.checkReferences ? doc.manifests : []) {
      if (!sql.prepare('SELECT 1 FROM manifests WHERE repository = ? AND digest = ?').get(repository, child)) missing.push(child);
    }
    if (missing.length > 0) {
      throw registryError('MANIFEST_BLOB_UNKNOWN', `manifest references ${missing.length} unknown blob(s) or manifest(s): ${missing.join(', ')}`, { digest: missing[0] });
    }
    const now = this.clock.now().toISOString();
    ensureRepository(this.db, repository, this.clock.now());
    sql
      .prepare(
        `INSERT INTO manifests (repository, digest, media_type, size, artifact_type, subject, annotations, pushed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repository, digest) DO UPDATE SET pushed_at = excluded.pushed_at`,
      )
      .run(repository, doc.digest, doc.mediaType, doc.size, doc.artifactType ?? null, doc.subject?.digest ?? null,
        doc.annotations === undefined ? null : JSON.stringify(doc.annotations), now);
    const insertRef = sql.prepare('INSERT OR IGNORE INTO manifest_references (repository, manifest, child, kind) VALUES (?, ?, ?, ?)');
    for (const blob of doc.blobs) insertRef.run(repository, doc.digest, blob, 'blob');
    for (const child of doc.manifests) insertRef.run(repository, doc.digest, child, 'manifest');
    if (reference.kind === 'tag') this.setTag(repository, reference.tag, doc.digest, now, how.fetchedAt);
  }

  /** Points `tag` at a manifest already in the repository (pull-through cache, tag pushes). */
  setTag(repository: string, tag: string, digest: Digest, now: string, fetchedAt?: string): void {
    this.db.sqlite
      .prepare(
        `INSERT INTO tags (repository, name, digest, updated_at, fetched_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (repository, name) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at, fetched_at = excluded.fetched_at`,
      )
      .run(repository, tag, digest, now, fetchedAt ?? null);
  }

  /** The manifest a tag or digest names in `repository`, or undefined. */
  async resolve(repository: string, reference: ManifestReference): Promise<StoredManifest | undefined> {
    const row = (reference.kind === 'tag'
      ? this.db.sqlite
          .prepare('SELECT m.digest, m.media_type, m.size FROM tags t JOIN manifests m ON m.repository = t.repository AND m.digest = t.digest WHERE t.repository = ? AND t.name = ?')
          .get(repository, reference.tag)
      : this.db.sqlite.prepare('SELECT digest, media_type, size FROM manifests WHERE repository = ? AND digest = ?').get(repository, reference.digest)) as
      | ManifestRow
      | undefined;
    if (!row || !(await this.content.has(row.digest))) return undefined;
    return { digest: row.digest, mediaType: row.media_type, size: row.size, path: this.content.path(row.digest) };
  }

  /** When the pull-through cache last asked the upstream about `tag` (undefined: never, or pushed). */
  tagFetchedAt(repository: string, tag: string): Date | undefined {
    const row = this.db.sqlite.prepare('SELECT fetched_at FROM tags WHERE repository = ? AND name = ?').get(repository, tag) as { fetched_at: string | null } | undefined;
    return row?.fetched_at ? new Date(row.fetched_at) : undefined;
  }

  /**
   * Deletes by digest (the manifest and every tag pointing at it) or by tag (just the tag).
   * Returns false when there was nothing to delete. Bytes go at the next collection. `guard` may
   * refuse, given the tags the delete removes or breaks.
   */
  delete(repository: string, reference: ManifestReference, guard?: WriteGuard): boolean {
    return this.db.transaction(() => {
      if (guard?.remove !== undefined) {
        const target = reference.kind === 'tag' ? tagTarget(this.db, repository, reference.tag) : undefined;
        guard.remove(reference.kind === 'digest' ? tagsHolding(this.db, repository, reference.digest) : target === undefined ? [] : [{ tag: reference.tag, digest: target }]);
      }
      if (reference.kind === 'tag') {
        return this.db.sqlite.prepare('DELETE FROM tags WHERE repository = ? AND name = ?').run(repository, reference.tag).changes > 0;
      }
      this.db.sqlite.prepare('DELETE FROM tags WHERE repository = ? AND digest = ?').run(repository, reference.digest);
      return this.db.sqlite.prepare('DELETE FROM manifests WHERE repository = ? AND digest = ?').run(repository, reference.digest).changes > 0;
    });
  }

  /** The manifests of `repository` that list `digest` as an entry (the indexes a platform manifest is pulled through). */
  indexesOf(repository: string, digest: Digest): Digest[] {
    const rows = this.db.sqlite
      .prepare("SELECT manifest FROM manifest_references WHERE repository = ? AND child = ? AND kind = 'manifest' ORDER BY manifest")
      .all(repository, digest) as { manifest: Digest }[];
    return rows.map((row) => row.manifest);
  }

  /** Whether the repository exists (has ever held a blob or manifest). */
  hasRepository(repository: string): boolean {
    return this.db.sqlite.prepare('SELECT 1 FROM repositories WHERE name = ?').get(repository) !== undefined;
  }

  /** Tags in lexical order after `last`, at most `limit`. */
  tags(repository: string, limit: number, last: string | undefined): string[] {
    const rows = this.db.sqlite
      .prepare('SELECT name FROM tags WHERE repository = ? AND name > ? ORDER BY name LIMIT ?')
      .all(repository, last ?? '', limit) as { name: string }[];
    return rows.map((row) => row.name);
  }

  /** Repositories that hold at least one manifest, in lexical order after `last`. */
  repositories(limit: number, last: string | undefined): string[] {
    const rows = this.db.sqlite
      .prepare('SELECT DISTINCT repository AS name FROM manifests WHERE repository > ? ORDER BY repository LIMIT ?')
      .all(last ?? '', limit) as { name: string }[];
    return rows.map((row) => row.name);
  }

  /** Manifests whose `subject` is `digest`, optionally of one artifact type. */
  referrers(repository: string, digest: Digest, artifactType?: string): { mediaType: string; digest: string; size: number; artifactType?: string; annotations?: Record<string, string> }[] {
    const rows = this.db.sqlite
      .prepare('SELECT digest, media_type, size, artifact_type, annotations FROM manifests WHERE repository = ? AND subject = ? ORDER BY digest')
      .all(repository, digest) as { digest: string; media_type: string; size: number; artifact_type: string | null; annotations: string | null }[];
    return rows
      .filter((row) => artifactType === undefined || row.artifact_type === artifactType)
      .map((row) => ({
        mediaType: row.media_type,
        digest: row.digest,
        size: row.size,
        ...(row.artifact_type !== null && { artifactType: row.artifact_type }),
        ...(row.annotations !== null && { annotations: JSON.parse(row.annotations) as Record<string, string> }),
      }));
  }
}
