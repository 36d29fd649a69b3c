import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as tarPack, type Header } from 'tar-stream';
import { isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { unpackLayer } from './layer-unpacker.js';
import { LayerWriter, type LayerEntry } from './layer-writer.js';

const noRunner: ProcessRunner = { run: () => Promise.reject(new Error('no command expected')) };

async function tarOf(headers: (Partial<Header> & { name: string })[]): Promise<Readable> {
  const pack = tarPack();
  for (const header of headers) pack.entry(header);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return Readable.from([Buffer.concat(chunks)]);
}

test('a symbolic link with no target is a malformed layer, not a write failure (fuzz finding)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-layer-writer-'));
  try {
    await unpackLayer(await tarOf([{ name: 'sh', type: 'symlink', linkname: 'busybox' }]), dir, { runner: noRunner });
    assert.equal(await readlink(join(dir, 'sh')), 'busybox');
    await assert.rejects(unpackLayer(await tarOf([{ name: 'null', type: 'symlink', linkname: '' }]), dir, { runner: noRunner }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'malformed-layer');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an entry whose stream died with the tar leaves the tar error to the caller (fuzz finding)', async () => {
  // A truncated tar: tar-stream destroys the entry with "Unexpected end of data". When the writer
  // saw that first, it reported an internal write failure instead of the unpacker's malformed-layer.
  const dir = await mkdtemp(join(tmpdir(), 'berth-layer-writer-'));
  try {
    const truncated = new Error('Unexpected end of data');
    const entry: LayerEntry = {
      header: { name: 'big', type: 'file', size: 4000, mode: 0o644 },
      destroyed: true,
      resume: () => undefined,
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(truncated) }),
    };
    await assert.rejects(new LayerWriter(dir, noRunner).write(entry), (err: unknown) => err === truncated);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
