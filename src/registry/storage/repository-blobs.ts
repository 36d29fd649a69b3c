import { existsSync, statSync } from 'node:fs';
import type { Digest } from '../../base/digest.js';
import type { Clock } from '../../base/clock.js';
import { failpoint } from '../../base/failpoint.js';
import { componentLogger } from '../../base/logger.js';
import type { ContentStore, BlobInfo } from '../../store/content-store.js';
import type { Database } from '../../store/database.js';
import { ensureRepository } from './registry-db.js';
import { tagsHolding, type WriteGuard } from './tag-holders.js';

const log = componentLogger('registry');

/** How stale a blob link's `touched_at` may get before a read refreshes it (writes stay rare). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Which blobs each repository holds. Bytes live once in the content store; a repository sees a
 * blob only through its row in `repository_blobs`, AND only while the file exists.
 *
 * Ordering against the garbage collector (which deletes rows and files in one transaction): a
 * link row is always written in a transaction that sees the file present, or before the file is
 * renamed into place (`commitFile`), so the collector either sees the row or already removed the
 * file (and the writer then puts it back). Safe to call concurrently from any number of requests.
 */
export class RepositoryBlobs {
  constructor(
    private readonly db: Database,
    private readonly content: ContentStore,
    private readonly clock: Clock,
  ) {}

  /** The blob as `repository` sees it, or undefined. A hit refreshes the GC grace of the link. */
  async stat(repository: string, digest: Digest): Promise<BlobInfo | undefined> {
    const row = this.db.sqlite.prepare('SELECT size, touched_at FROM repository_blobs WHERE repository = ? AND digest = ?').get(repository, digest) as
      | { size: number; touched_at: string }
      | undefined;
    if (!row) return undefined;
    const info = await this.content.info(digest);
    if (!info) return undefined;
    const now = this.clock.now();
    if (now.getTime() - Date.parse(row.touched_at) > TOUCH_EVERY_MS) {
      this.db.sqlite.prepare('UPDATE repository_blobs SET touched_at = ? WHERE repository = ? AND digest = ?').run(now.toISOString(), repository, digest);
    }
    return info;
  }

  /** The file to read a blob from (after `stat` said it is there). */
  path(digest: Digest): string {
    return this.content.path(digest);
  }

  /**
   * Makes a completed upload file the blob `digest` of `repository`: verified (DIGEST_INVALID /
   * SIZE_INVALID through the content store's data-loss errors, the file then left in place),
   * linked, then renamed into the content store.
   */
  async commitFile(repository: string, file: string, digest: Digest, size?: number): Promise<BlobInfo> {
    return this.content.adopt(file, {
      digest,
      ...(size !== undefined && { size }),
      beforeCommit: (verified) => {
        this.link(repository, verified, sizeOfFileSync(file));
        failpoint('registry-blob-before-rename');
      },
    });
  }

  /** Writes a blob from bytes or a stream (pull-through cache) and links it. */
  async write(repository: string, source: Uint8Array | AsyncIterable<Uint8Array>, digest: Digest, size?: number): Promise<BlobInfo> {
    const info = await this.content.write(source, {
      digest,
      ...(size !== undefined && { size }),
      beforeCommit: (verified) => {
        this.link(repository, verified, size ?? 0);
      },
    });
    if (size === undefined) this.link(repository, digest, info.size);
    return info;
  }

  /**
   * Cross-repository mount: links `digest` to `repository` from the first repository that links
   * it and that `maySource` accepts (the caller's read rights). Returns that source, or undefined
   * when no accepted repository holds the blob (nothing is written then).
   */
  mount(repository: string, digest: Digest, maySource: (source: string) => boolean): string | undefined {
    return this.db.transaction(() => {
      if (!existsSync(this.content.path(digest))) return undefined;
      const rows = this.db.sqlite.prepare('SELECT repository, size FROM repository_blobs WHERE digest = ? ORDER BY repository').all(digest) as { repository: string; size: number }[];
      const source = rows.find((row) => maySource(row.repository));
      if (!source) return undefined;
      this.link(repository, digest, source.size);
      return source.repository;
    });
  }

  /** Removes the link (DELETE of a blob); the bytes go at the next collection. False if absent; `guard` may refuse. */
  unlink(repository: string, digest: Digest, guard?: WriteGuard): boolean {
    return this.db.transaction(() => {
      guard?.remove?.(tagsHolding(this.db, repository, digest));
      return this.db.sqlite.prepare('DELETE FROM repository_blobs WHERE repository = ? AND digest = ?').run(repository, digest).changes > 0;
    });
  }

  private link(repository: string, digest: Digest, size: number): void {
    this.db.transaction(() => {
      const now = this.clock.now();
      ensureRepository(this.db, repository, now);
      this.db.sqlite
        .prepare(
          `INSERT INTO repository_blobs (repository, digest, size, touched_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (repository, digest) DO UPDATE SET touched_at = excluded.touched_at, size = excluded.size`,
        )
        .run(repository, digest, size, now.toISOString());
    });
  }
}

/** The size of a file just verified (so there); 0, with a warning, when it cannot be read after all. */
function sizeOfFileSync(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    log.warn('reading the size of a verified upload failed: its repository link records 0 bytes', { err, path: file });
    return 0;
  }
}
