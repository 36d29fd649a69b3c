import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import { isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { unpackLayer } from './layer-unpacker.js';
import { malformedTarField } from './tar-header-fields.js';

/** One-file tar whose first header has `bytes` written at `offset` (checksum fixed up). */
async function tarWithHeaderBytes(offset: number, bytes: Buffer): Promise<Buffer> {
  const pack = tarPack();
  pack.entry({ name: 'etc/file', mode: 0o644, uid: 1, gid: 2 }, 'data');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const tar = Buffer.concat(chunks);
  bytes.copy(tar, offset);
  tar.fill(0x20, 148, 156);
  const sum = tar.subarray(0, 512).reduce((total, byte) => total + byte, 0);
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return tar;
}

const noRunner: ProcessRunner = { run: () => Promise.reject(new Error('no command expected')) };

test('malformed numeric header fields are named', () => {
  assert.equal(malformedTarField({ size: 4, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) }), undefined);
  assert.equal(malformedTarField({ size: 0, uid: null, devmajor: null }), undefined);
  assert.equal(malformedTarField({ size: null }), 'size');
  assert.equal(malformedTarField({ size: 1, gid: Number.NaN }), 'gid');
  assert.equal(malformedTarField({ size: 1, uid: -2 }), 'uid');
  assert.equal(malformedTarField({ size: 1, mtime: new Date(Number.NaN) }), 'mtime');
});

test('a layer entry with a malformed gid or size is refused, not a write failure or a hang (fuzz findings)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-tar-fields-'));
  try {
    // gid "zzzzzzz" (tar-stream: NaN, which chown refused as an internal error); a base-256 size
    // without its 0x80 lead byte (tar-stream: null, and the entry never ended).
    const cases = [[116, Buffer.from('zzzzzzz\0')], [124, Buffer.from([0xd0, 0xcf, 0xcf, 0xcf, 0xcf, 0xcf, 0xcf, 0xcc, 0x30, 0x33, 0x36, 0x20])]] as const;
    for (const [offset, bytes] of cases) {
      const tar = await tarWithHeaderBytes(offset, bytes);
      await assert.rejects(unpackLayer(Readable.from([tar]), dir, { runner: noRunner }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'malformed-layer');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
