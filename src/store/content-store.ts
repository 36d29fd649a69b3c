import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { errnoCode, errors } from '../base/errors.js';
import { Digester, digestAlgorithm, digestHex, isDigest, type Digest, type DigestAlgorithm } from '../base/digest.js';
import { syncDirectory } from '../base/atomic-file.js';
import type { StateRoot } from '../base/state-root.js';
import { isOwnerAlive, ownerTag, OWNER_TAG_PATTERN } from '../base/process-alive.js';
import { componentLogger, warnOnFailure, warnUnlessErrno } from '../base/logger.js';

const log = componentLogger('store');

/** Bytes gathered before one write to the blob file. */
const WRITE_BATCH = 1024 * 1024;

export interface BlobInfo {
  digest: Digest;
  size: number;
}

export interface WriteExpectation {
  /** When given, the content must hash to this digest (its algorithm is used) or the write fails. */
  digest?: Digest;
  /** When given, the content must have exactly this many bytes. */
  size?: number;
  /**
   * Called with the digest once the content is verified and before it becomes visible, so a
   * writer can put the blob under a lease first (see LeaseManager).
   */
  beforeCommit?: (digest: Digest) => void;
}

/**
 * Content-addressable blob store on the local filesystem.
 *
 * A blob becomes visible only after it was written completely, checked against the expected
 * digest and size, fsynced and renamed into place: a crash leaves at most a temp file in the
 * ingest dir, which `cleanupIngest` removes once its writer is gone. Writers of the same blob may
 * run at once in any number of processes: both succeed, one copy stays. Reads never see partial
 * content. `delete` is for the garbage collector, which decides what is safe to delete.
 */
export class ContentStore {
  constructor(private readonly root: StateRoot) {}

  path(digest: Digest): string {
    return join(this.root.blobs, digestAlgorithm(digest), digestHex(digest));
  }

  async info(digest: Digest): Promise<BlobInfo | undefined> {
    try {
      const s = await stat(this.path(digest));
      return { digest, size: s.size };
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  async has(digest: Digest): Promise<boolean> {
    return (await this.info(digest)) !== undefined;
  }

  /** Reads a whole blob (for manifests and configs); not-found if absent. */
  async readBytes(digest: Digest): Promise<Buffer> {
    try {
      return await readFile(this.path(digest));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw errors.notFound('blob-not-found', `blob ${digest} not found`);
      throw err;
    }
  }

  /** A stream of a blob's bytes; not-found if absent. */
  async openRead(digest: Digest): Promise<ReadStream> {
    if (!(await this.has(digest))) throw errors.notFound('blob-not-found', `blob ${digest} not found`);
    return createReadStream(this.path(digest));
  }

  /**
   * Writes a blob from a buffer or stream. Throws data-loss (reason `digest-mismatch` or
   * `size-mismatch`) when the content does not match the expectation; the store is then unchanged.
   */
  async write(source: Uint8Array | AsyncIterable<Uint8Array>, expected: WriteExpectation = {}): Promise<BlobInfo> {
    const algorithm: DigestAlgorithm = expected.digest ? digestAlgorithm(expected.digest) : 'sha256';
    if (expected.digest) expected.beforeCommit?.(expected.digest);
    if (expected.digest && (await this.has(expected.digest))) {
      if (!(source instanceof Uint8Array)) await drain(source);
      return { digest: expected.digest, size: (await this.info(expected.digest))?.size ?? 0 };
    }
    await mkdir(this.root.ingest, { recursive: true });
    const temp = join(this.root.ingest, `.tmp-${ownerTag()}-${randomBytes(8).toString('hex')}`);
    const digester = new Digester(algorithm);
    const handle = await open(temp, 'wx', 0o644);
    try {
      if (source instanceof Uint8Array) {
        digester.update(source);
        await handle.write(source);
      } else {
        // One write in flight while the next chunks are hashed; small chunks are batched.
        let pending: Promise<unknown> = Promise.resolve();
        let batch: Uint8Array[] = [];
        let batchBytes = 0;
        for await (const chunk of source) {
          digester.update(chunk);
          batch.push(chunk);
          batchBytes += chunk.length;
          if (expected.size !== undefined && digester.size > expected.size) break;
          if (batchBytes >= WRITE_BATCH) {
            await pending;
            pending = handle.writev(batch);
            batch = [];
            batchBytes = 0;
          }
        }
        await pending;
        if (batch.length > 0) await handle.writev(batch);
      }
      const digest = digester.digest();
      if (expected.size !== undefined && digester.size !== expected.size) {
        throw errors.dataLoss('size-mismatch', `blob ${expected.digest ?? digest}: expected ${expected.size} bytes, got ${digester.size}`);
      }
      if (expected.digest && digest !== expected.digest) {
        throw errors.dataLoss('digest-mismatch', `blob content hashes to ${digest}, expected ${expected.digest}`);
      }
      await handle.sync();
      await handle.close();
      if (!expected.digest) expected.beforeCommit?.(digest);
      const target = this.path(digest);
      await mkdir(join(this.root.blobs, algorithm), { recursive: true });
      await rename(temp, target);
      await syncDirectory(join(this.root.blobs, algorithm));
      return { digest, size: digester.size };
    } catch (err) {
      // The write's own error is the one thrown; what its cleanup leaves is only logged (a temp
      // file left in the ingest dir goes with cleanupIngest).
      await handle.close().catch(warnOnFailure(log, 'closing the temp file of a failed blob write', { path: temp }));
      await unlink(temp).catch(warnUnlessErrno(['ENOENT'], log, 'removing the temp file of a failed blob write', { path: temp }));
      throw err;
    }
  }

  /**
   * Makes an already written file (on the same filesystem, e.g. a resumable upload's data) a blob:
   * hashes it, checks digest and size as `write` does, calls `beforeCommit`, fsyncs it and renames
   * it into place. The file is consumed on success; on a mismatch (data-loss, reason
   * `digest-mismatch` or `size-mismatch`) it is left where it was and the store is unchanged.
   * When the blob already exists the file is removed and the stored copy kept.
   */
  async adopt(file: string, expected: WriteExpectation & { digest: Digest }): Promise<BlobInfo> {
    const digester = new Digester(digestAlgorithm(expected.digest));
    for await (const chunk of createReadStream(file)) digester.update(chunk as Buffer);
    const digest = digester.digest();
    if (expected.size !== undefined && digester.size !== expected.size) {
      throw errors.dataLoss('size-mismatch', `blob ${expected.digest}: expected ${expected.size} bytes, got ${digester.size}`);
    }
    if (digest !== expected.digest) {
      throw errors.dataLoss('digest-mismatch', `blob content hashes to ${digest}, expected ${expected.digest}`);
    }
    expected.beforeCommit?.(digest);
    if (await this.has(digest)) {
      // The stored copy is the blob; a file that cannot be removed is only a leftover.
      await unlink(file).catch(warnUnlessErrno(['ENOENT'], log, 'removing a file whose blob is already stored', { path: file, digest }));
      return { digest, size: digester.size };
    }
    const handle = await open(file, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await mkdir(join(this.root.blobs, digestAlgorithm(digest)), { recursive: true });
    await rename(file, this.path(digest));
    await syncDirectory(join(this.root.blobs, digestAlgorithm(digest)));
    return { digest, size: digester.size };
  }

  /** Every blob on disk (whether referenced or not). */
  async list(): Promise<BlobInfo[]> {
    const result: BlobInfo[] = [];
    for (const algorithm of ['sha256', 'sha512'] as const) {
      let names: string[];
      try {
        names = await readdir(join(this.root.blobs, algorithm));
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue;
        throw err;
      }
      for (const name of names) {
        const digest = `${algorithm}:${name}`;
        if (!isDigest(digest)) continue;
        const info = await this.info(digest);
        if (info) result.push(info);
      }
    }
    return result;
  }

  /** Removes a blob; absent is fine. Only the garbage collector calls this. */
  async delete(digest: Digest): Promise<void> {
    await unlink(this.path(digest)).catch((err: unknown) => {
      if (errnoCode(err) !== 'ENOENT') throw err;
    });
  }

  /** Removes temp files of writers that are no longer running. Returns how many were removed. */
  async cleanupIngest(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.root.ingest);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      const owner = new RegExp(`^\\.tmp-(${OWNER_TAG_PATTERN})-`).exec(name)?.[1];
      if (owner !== undefined && isOwnerAlive(owner)) continue;
      // ENOENT: another process's cleanup removed it first.
      await unlink(join(this.root.ingest, name)).catch(warnUnlessErrno(['ENOENT'], log, 'removing a leftover temp file', { path: join(this.root.ingest, name) }));
      removed++;
    }
    return removed;
  }
}

async function drain(source: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _chunk of source) {
    // discard: the blob is already stored
  }
}
