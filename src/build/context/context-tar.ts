/**
 * Reading a context tar (the Docker API's request body; plain, gzip or zstd): its tree is read
 * on the way in (ContextTree), so cache keys never read the files again. A small tar's bytes are
 * held in memory, so that a build whose steps are all cached never writes it to disk; a bigger one
 * is unpacked into the temp directory as it streams in, with the same safe unpacker as layers.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import type { ProcessRunner } from '../../base/process-runner.js';
import { openLayerStream } from '../../snapshots/decompress.js';
import { unpackLayer } from '../../snapshots/layer-unpacker.js';
import { ContextTree } from './context-tree.js';

/**
 * Bytes of (uncompressed) context kept in memory rather than unpacked at once. Small: holding
 * tens of MiB costs berthd more in garbage collection than unpacking them does (measured with the
 * image-build bench's 20 MiB context: ~110 ms per cached build unpacked, ~150 ms held).
 */
export const CONTEXT_MEMORY_LIMIT = 4 * 1024 * 1024;

export interface ReadContextTar {
  /** The tree, when it could be read (else the files on disk are the truth). */
  tree: ContextTree | undefined;
  /** The tar's bytes, when they are held and not yet unpacked. */
  held: Buffer[] | undefined;
}

/** Unpacks held tar bytes into `dir/fs` (made here). */
export async function unpackHeld(held: readonly Buffer[], dir: string, runner: ProcessRunner): Promise<void> {
  await mkdir(join(dir, 'fs'));
  await unpackLayer(Readable.from(held, { objectMode: false }), join(dir, 'fs'), { runner, hash: false });
}

/** Reads `tar`; a tar over the limit (or one the tree cannot read) is unpacked into `dir/fs`. */
export async function readContextTar(tar: Readable, dir: string, runner: ProcessRunner, limit = CONTEXT_MEMORY_LIMIT): Promise<ReadContextTar> {
  const tree = new ContextTree();
  const tap = tree.tap();
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
  if (ended) {
    await tap.settled;
    if (tree.failure === undefined) return { tree, held };
    // The unpacker reports what is wrong with the tar (or reads what the tree could not).
    await unpackHeld(held, dir, runner);
    return { tree: undefined, held: undefined };
  }
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield* held;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
  };
  await mkdir(join(dir, 'fs'));
  await unpackLayer(Readable.from(rest(), { objectMode: false }), join(dir, 'fs'), { runner, hash: false });
  await tap.settled;
  return { tree: tree.failure === undefined ? tree : undefined, held: undefined };
}
