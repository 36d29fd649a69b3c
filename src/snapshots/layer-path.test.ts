import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import { isBerthError } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { normalizeEntryPath } from './layer-path.js';
import { unpackLayer } from './layer-unpacker.js';

const noRunner: ProcessRunner = { run: () => Promise.reject(new Error('no command expected')) };
const tooLong = (err: unknown): boolean => isBerthError(err, 'invalid-argument') && err.reason === 'layer-entry-name-too-long';

test('entry paths are normalized; a component longer than a file name can be is refused', () => {
  assert.equal(normalizeEntryPath('/a/./b//c/../d'), 'a/b/d');
  assert.equal(normalizeEntryPath(`x/${'é'.repeat(127)}`), `x/${'é'.repeat(127)}`);
  assert.throws(() => normalizeEntryPath(`x/${'é'.repeat(128)}`), tooLong);
});

test('names the filesystem cannot take are refused as invalid, not as a write failure (fuzz finding)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-layer-path-'));
  try {
    // A 300-byte component (found by the fuzzer in a whiteout's parent), then a 5000-byte path.
    for (const name of [`${'d'.repeat(300)}/.wh.b`, `${Array.from({ length: 25 }, () => 'd'.repeat(200)).join('/')}/f`]) {
      const pack = tarPack();
      pack.entry({ name, mode: 0o644 }, 'x');
      pack.finalize();
      const chunks: Buffer[] = [];
      for await (const chunk of pack) chunks.push(chunk as Buffer);
      await assert.rejects(unpackLayer(Readable.from([Buffer.concat(chunks)]), join(dir), { runner: noRunner }), tooLong);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
