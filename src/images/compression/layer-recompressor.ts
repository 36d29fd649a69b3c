/**
 * One layer blob made anew in another compression, as a file: the stored blob (gzip, zstd or
 * plain, found from its bytes) is decompressed, checked against the layer's diff ID, and
 * compressed as asked — gzip with Node's zlib, zstd with the `zstd` program (Debian's zstd
 * package; Node 20's zlib has no zstd and no npm zstd encoder installs without a prebuilt
 * binary), none as the plain tar. The same layer at the same level gives the same bytes.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Digester, type Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { openLayerStream, sniffCompression } from '../../snapshots/decompress.js';
import { COMPRESSION_LEVELS, type CompressionOptions } from './layer-compression.js';

export interface RecompressLayerRequest {
  /** The stored blob's file and digest. */
  blobPath: string;
  blobDigest: Digest;
  /** The layer's diff ID (the config's rootfs.diff_ids): its uncompressed tar must hash to it. */
  diffId: Digest;
  compression: CompressionOptions;
  /** Where the result (and a temporary tar, for zstd) is written. */
  dir: string;
  runner: ProcessRunner;
  signal?: AbortSignal;
}

/** A recompressed layer: a file in the request's `dir` (the caller removes it), its digest and size. */
export interface RecompressedLayer {
  path: string;
  digest: Digest;
  size: number;
}

/** A pass-through that hashes what flows by. */
function hashing(digester: Digester): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      digester.update(chunk);
      callback(null, chunk);
    },
  });
}

async function firstBytes(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4), 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function hashFile(path: string): Promise<{ digest: Digest; size: number }> {
  const digester = new Digester();
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) digester.update(chunk);
  return { digest: digester.digest(), size: digester.size };
}

function checkDiffId(request: RecompressLayerRequest, uncompressed: Digester): void {
  const found = uncompressed.digest();
  if (found !== request.diffId) {
    throw errors.dataLoss('diff-id-mismatch', `layer ${request.blobDigest}: its tar hashes to ${found}, the image config says ${request.diffId}`);
  }
}

function uncompressedTar(request: RecompressLayerRequest): Readable {
  return openLayerStream(createReadStream(request.blobPath));
}

/**
 * Writes the layer in `request.compression` to a new file in `request.dir`. Throws data-loss
 * (`diff-id-mismatch`) when the uncompressed tar is not the layer the config names, not-found
 * when the zstd program is missing, internal when it fails; nothing is left behind then.
 */
export async function recompressLayer(request: RecompressLayerRequest): Promise<RecompressedLayer> {
  const out = join(request.dir, `layer-${randomBytes(8).toString('hex')}`);
  try {
    return request.compression.format === 'zstd' ? await toZstd(request, out) : await throughZlib(request, out);
  } catch (err) {
    await rm(out, { force: true });
    throw err;
  }
}

async function throughZlib(request: RecompressLayerRequest, out: string): Promise<RecompressedLayer> {
  const uncompressed = new Digester();
  const written = new Digester();
  const level = request.compression.level ?? COMPRESSION_LEVELS.gzip.default;
  const stages: Transform[] = request.compression.format === 'gzip' ? [createGzip({ level })] : [];
  const options = request.signal === undefined ? {} : { signal: request.signal };
  await pipeline([uncompressedTar(request), hashing(uncompressed), ...stages, hashing(written), createWriteStream(out)], options);
  checkDiffId(request, uncompressed);
  return { path: out, digest: written.digest(), size: written.size };
}

async function toZstd(request: RecompressLayerRequest, out: string): Promise<RecompressedLayer> {
  const level = request.compression.level ?? COMPRESSION_LEVELS.zstd.default;
  // A stored plain tar whose digest is its diff ID is the input as it is; anything else is
  // decompressed (and checked) into a temporary tar first: zstd reads files, not Node streams.
  const plain = sniffCompression(await firstBytes(request.blobPath)) === 'none' && request.blobDigest === request.diffId;
  const tar = plain ? request.blobPath : `${out}.tar`;
  try {
    if (!plain) {
      const uncompressed = new Digester();
      const options = request.signal === undefined ? {} : { signal: request.signal };
      await pipeline([uncompressedTar(request), hashing(uncompressed), createWriteStream(tar)], options);
      checkDiffId(request, uncompressed);
    }
    // -T1: one worker, so the output is the same on every machine; -f: `out` is ours to write.
    await request.runner.run('zstd', ['-q', '--no-progress', '-T1', `-${level}`, '-f', '-o', out, tar], request.signal === undefined ? {} : { signal: request.signal });
  } finally {
    if (!plain) await rm(tar, { force: true });
  }
  return { path: out, ...(await hashFile(out)) };
}
