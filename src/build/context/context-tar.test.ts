import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import { isBerthError } from '../../base/errors.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { readContextTar } from './context-tar.js';

/** A context tar whose first header's size field is `size` (its checksum fixed up). */
async function contextWithSize(size: Buffer): Promise<Buffer> {
  const pack = tarPack();
  pack.entry({ name: 'src', type: 'directory' });
  pack.entry({ name: 'src/Dockerfile' }, 'FROM busybox\n');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const tar = Buffer.concat(chunks);
  size.copy(tar, 124);
  tar.fill(0x20, 148, 156);
  tar.write(`${tar.subarray(0, 512).reduce((sum, byte) => sum + byte, 0).toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return tar;
}

const noRunner: ProcessRunner = { run: () => Promise.reject(new Error('no command expected')) };

test('a context entry whose size tar-stream cannot read is refused, not waited for forever (fuzz finding)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-context-'));
  try {
    // Base-256 without its 0x80 lead byte: tar-stream reads no size at all.
    const unreadable = await contextWithSize(Buffer.from([0xd0, 0xcf, 0xcf, 0xcf, 0xcf, 0xcf, 0xcf, 0xcc, 0x30, 0x33, 0x36, 0x20]));
    await assert.rejects(readContextTar(Readable.from([unreadable]), dir, noRunner), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'malformed-layer');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a directory entry that claims a size is read, not waited on forever (fuzz finding)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-context-'));
  try {
    // tar-stream skips a directory's data, and its stream for the entry never ends.
    const read = await readContextTar(Readable.from([await contextWithSize(Buffer.from('00000000002 '))]), dir, noRunner);
    assert.equal(read.tree?.lstat('src/Dockerfile')?.content?.toString(), 'FROM busybox\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
