import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import type { Clock } from '../../base/clock.js';
import type { Digest } from '../../base/digest.js';
import { errnoCode, isBerthError } from '../../base/errors.js';
import { KeyedMutex } from '../../base/keyed-mutex.js';
import { componentLogger, warnUnlessErrno } from '../../base/logger.js';
import type { BlobInfo } from '../../store/content-store.js';
import type { Database } from '../../store/database.js';
import type { ByteRange } from '../byte-range.js';
import { registryError } from '../registry-errors.js';
import type { RegistryPaths } from './registry-paths.js';
import type { RepositoryBlobs } from './repository-blobs.js';

const log = componentLogger('registry');

/**
 * Appends `body` to the file and resolves with the bytes written. When the client goes away
 * mid-body, every byte that arrived is still written (the file is ended, not destroyed), so the
 * session's size says where the client may resume; the error is then thrown.
 */
async function appendKeepingWhatArrived(body: Readable, path: string): Promise<number> {
  const file = createWriteStream(path, { flags: 'a' });
  const failed = new Promise<never>((_resolve, reject) => { file.once('error', reject); });
  // Raced with every wait below, the last one included: a write error is thrown from there.
  failed.catch(() => undefined);
  let received = 0;
  let cut: Error | undefined;
  try {
    for await (const chunk of body) {
      const bytes = chunk as Buffer;
      received += bytes.length;
      if (!file.write(bytes)) await Promise.race([once(file, 'drain'), failed]);
    }
  } catch (err) {
    cut = err instanceof Error ? err : new Error(String(err));
  }
  await Promise.race([new Promise<void>((resolve) => { file.end(resolve); }), failed]);
  if (cut !== undefined) throw cut;
  return received;
}

/** An upload session as the status endpoint reports it. */
export interface UploadStatus {
  id: string;
  repository: string;
  /** Bytes received so far (the file on disk is the truth, so a crash loses no acknowledged byte). */
  size: number;
}

/**
 * Resumable blob upload sessions: a row in `uploads` plus a file `uploads/<id>` that chunks are
 * appended to. Nothing in a session is visible as a blob; completing it hands the file to the
 * content store, which verifies digest (and size) before the blob appears. A session that gets
 * no chunk for `ttlMs` expires: `expire()` removes its row and file. Chunks of one session are
 * serialized; sessions run concurrently.
 */
export class UploadSessions {
  private readonly mutex = new KeyedMutex();

  constructor(
    private readonly db: Database,
    private readonly paths: RegistryPaths,
    private readonly blobs: RepositoryBlobs,
    private readonly clock: Clock,
    readonly ttlMs: number,
  ) {}

  async create(repository: string): Promise<UploadStatus> {
    const id = randomUUID();
    await mkdir(this.paths.uploads, { recursive: true });
    await writeFile(this.paths.upload(id), new Uint8Array(0), { flag: 'wx' });
    const now = this.clock.now().toISOString();
    this.db.sqlite.prepare('INSERT INTO uploads (id, repository, created_at, updated_at) VALUES (?, ?, ?, ?)').run(id, repository, now, now);
    return { id, repository, size: 0 };
  }

  /**
   * The status once no append to the session is running (an append cut off by its client has then
   * written all it received), as the status endpoint reports it.
   */
  settledStatus(repository: string, id: string): Promise<UploadStatus> {
    return this.mutex.run(id, () => this.status(repository, id));
  }

  /** The session's status; BLOB_UPLOAD_UNKNOWN when absent, expired or of another repository. */
  async status(repository: string, id: string): Promise<UploadStatus> {
    const row = this.db.sqlite.prepare('SELECT repository, updated_at FROM uploads WHERE id = ?').get(id) as { repository: string; updated_at: string } | undefined;
    if (!row || row.repository !== repository || this.isExpired(row.updated_at)) throw unknownUpload(id);
    try {
      return { id, repository, size: (await stat(this.paths.upload(id))).size };
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw unknownUpload(id);
      throw err;
    }
  }

  /**
   * Appends `body` to the session. With `range`, it must start where the session ends
   * (RANGE_INVALID, answered 416, otherwise) and the body must have exactly its length.
   */
  append(repository: string, id: string, body: Readable, range?: ByteRange): Promise<UploadStatus> {
    return this.mutex.run(id, async () => {
      const current = await this.status(repository, id);
      if (range !== undefined && range.start !== current.size) {
        body.resume();
        throw registryError('RANGE_INVALID', `chunk starts at ${range.start}, upload has ${current.size} bytes`, { size: current.size });
      }
      let received: number;
      try {
        received = await appendKeepingWhatArrived(body, this.paths.upload(id));
      } finally {
        this.touch(id);
      }
      if (range !== undefined && received !== range.end - range.start + 1) {
        throw registryError('SIZE_INVALID', `chunk ${range.start}-${range.end} carried ${received} bytes`);
      }
      return { ...current, size: current.size + received };
    });
  }

  /**
   * Appends the last chunk (if any) and turns the session into the blob `digest`. On a digest or
   * size mismatch the session is discarded and nothing is stored (DIGEST_INVALID / SIZE_INVALID).
   */
  complete(repository: string, id: string, digest: Digest, body?: Readable, range?: ByteRange): Promise<BlobInfo> {
    const finish = async (): Promise<BlobInfo> => {
      await this.status(repository, id);
      try {
        const info = await this.blobs.commitFile(repository, this.paths.upload(id), digest);
        this.db.sqlite.prepare('DELETE FROM uploads WHERE id = ?').run(id);
        return info;
      } catch (err) {
        if (isBerthError(err, 'data-loss')) await this.discard(id);
        throw err;
      }
    };
    if (body === undefined) return this.mutex.run(id, finish);
    return this.append(repository, id, body, range).then(() => this.mutex.run(id, finish));
  }

  /** Cancels a session (DELETE); BLOB_UPLOAD_UNKNOWN when absent. */
  async cancel(repository: string, id: string): Promise<void> {
    await this.status(repository, id);
    await this.mutex.run(id, () => this.discard(id));
  }

  /**
   * Removes expired sessions and files no session owns (left by a crash between creating the file
   * and its row, once as old as the TTL). Returns how many sessions were removed.
   */
  async expire(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.ttlMs).toISOString();
    const expired = this.db.sqlite.prepare('SELECT id FROM uploads WHERE updated_at <= ?').all(cutoff) as { id: string }[];
    for (const { id } of expired) await this.mutex.run(id, () => this.discard(id));
    const owned = new Set((this.db.sqlite.prepare('SELECT id FROM uploads').all() as { id: string }[]).map((row) => row.id));
    // ENOENT: no upload directory yet, or the file went meanwhile (its session ended).
    const names = (await readdir(this.paths.uploads).catch(warnUnlessErrno(['ENOENT'], log, 'listing upload files', { dir: this.paths.uploads }))) ?? [];
    for (const name of names) {
      if (owned.has(name)) continue;
      const info = await stat(this.paths.upload(name)).catch(warnUnlessErrno(['ENOENT'], log, 'looking at an upload file', { path: this.paths.upload(name) }));
      if (info && info.mtime.toISOString() <= cutoff) await rm(this.paths.upload(name), { force: true });
    }
    return expired.length;
  }

  /** Ids of the live sessions (for tests and metrics). */
  list(): string[] {
    return (this.db.sqlite.prepare('SELECT id FROM uploads ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  }

  private isExpired(updatedAt: string): boolean {
    return Date.parse(updatedAt) + this.ttlMs <= this.clock.now().getTime();
  }

  private touch(id: string): void {
    this.db.sqlite.prepare('UPDATE uploads SET updated_at = ? WHERE id = ?').run(this.clock.now().toISOString(), id);
  }

  private async discard(id: string): Promise<void> {
    this.db.sqlite.prepare('DELETE FROM uploads WHERE id = ?').run(id);
    await rm(this.paths.upload(id), { force: true });
  }
}

function unknownUpload(id: string): Error {
  return registryError('BLOB_UPLOAD_UNKNOWN', `upload ${id} unknown (finished, cancelled or expired)`, { uuid: id });
}
