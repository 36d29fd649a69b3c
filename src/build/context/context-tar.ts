/**
 * Reading a context tar (the Docker API's request body; plain, gzip or zstd): its tree is read
 * on the way in (ContextTree), so planning a build never reads the files. The tar's bytes wait —
 * a small tar in memory, a bigger one in a spool file — and are unpacked (with the same safe
 * unpacker as layers) only when a step needs the files, so a fully cached build makes none.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { ProcessRunner } from '../../base/process-runner.js';
import { openLayerStream } from '../../snapshots/decompress.js';
import { unpackLayer } from '../../snapshots/layer-unpacker.js';
import { ContextTree } from './context-tree.js';

/**
 * Bytes of (uncompressed) context kept in memory rather than spooled to a file. Small: holding
 * tens of MiB costs berthd more in garbage collection than writing them does (measured with the
 * image-build bench's 20 MiB context: ~110 ms per cached build unpacked, ~150 ms held).
 */
export const CONTEXT_MEMORY_LIMIT = 4 * 1024 * 1024;

export interface ReadContextTar {
  /** The tree, when it could be read (else the files on disk are the truth). */
  tree: ContextTree | undefined;
  /** Where the tar's bytes are while not unpacked: in memory, or in a spool file. */
  pending: Buffer[] | string | undefined;
}

/** Unpacks a pending tar (bytes or a spool file) into `dir/fs` (made here). */
export async function unpackPending(pending: readonly Buffer[] | string, dir: string, runner: ProcessRunner): Promise<void> {
  await mkdir(join(dir, 'fs'));
  const source = typeof pending === 'string' ? createReadStream(pending) : Readable.from(pending, { objectMode: false });
  await unpackLayer(source, join(dir, 'fs'), { runner, hash: false });
  if (typeof pending === 'string') await rm(pending, { force: true });
}

/**
 * Reads `tar`: up to `limit` bytes stay in memory; a bigger tar is written to one spool file in
 * `dir` as it streams in (one sequential write; no file is made until a step needs them). A tar
 * the tree cannot read is unpacked into `dir/fs` at once (the unpacker says what is wrong).
 */
export async function readContextTar(tar: Readable, dir: string, runner: ProcessRunner, limit = CONTEXT_MEMORY_LIMIT): Promise<ReadContextTar> {
  const tree = new ContextTree();
  const tap = tree.tap();
  // A failure of the pipeline reaches the reads of `stream` below: the callback has nothing to add.
  const stream = pipeline(openLayerStream(tar), tap.stream, () => undefined);
  const iterator = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const held: Buffer[] = [];
  let size = 0;
  let ended = false;
  while (size <= limit) {
    const next = await iterator.next();
    if (next.done === true) { ended = true; break; }
    held.push(next.value);
    size += next.value.length;
  }
  let pending: Buffer[] | string = held;
  if (!ended) {
    const spool = join(dir, 'context.tar');
    const rest = async function* (): AsyncGenerator<Buffer> {
      yield* held;
      held.length = 0;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
    };
    await pipelineAsync(Readable.from(rest(), { objectMode: false }), createWriteStream(spool, { mode: 0o600 }));
    pending = spool;
  }
  await tap.settled;
  if (tree.failure === undefined) return { tree, pending };
  await unpackPending(pending, dir, runner);
  return { tree: undefined, pending: undefined };
}
