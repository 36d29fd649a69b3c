// One layer blob recompressed into each format with the real zstd program and Node's zlib: the
// bytes decompress to the same tar (its diff ID), other tools accept them, the output is the
// same every time, and a blob that is not the layer its config names is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { digestOf, parseDigest, type Digest } from '../../../src/base/digest.js';
import { isBerthError } from '../../../src/base/errors.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { recompressLayer, type RecompressLayerRequest } from '../../../src/images/compression/layer-recompressor.js';
import type { CompressionOptions } from '../../../src/images/compression/layer-compression.js';

const runner = new ChildProcessRunner();

async function layerTar(): Promise<Buffer> {
  const tar = pack();
  tar.entry({ name: 'etc/', type: 'directory', mode: 0o755, mtime: new Date(0) });
  tar.entry({ name: 'etc/motd', mode: 0o644, mtime: new Date(0) }, 'compressed by berth\n'.repeat(500));
  tar.entry({ name: 'bin/tool', mode: 0o755, mtime: new Date(0) }, Buffer.alloc(64 * 1024, 7));
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('recompressing one layer', () => {
  let work: string;
  let out: string;
  let tar: Buffer;
  let diffId: Digest;
  const blobs = new Map<string, { path: string; digest: Digest }>();

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-recompress-'));
    out = join(work, 'out');
    await mkdir(out);
    tar = await layerTar();
    diffId = digestOf(tar);
    const gzip = gzipSync(tar);
    for (const [name, bytes] of [['plain', tar], ['gzip', gzip]] as const) {
      const path = join(work, name);
      await writeFile(path, bytes);
      blobs.set(name, { path, digest: digestOf(bytes) });
    }
    const zstdPath = join(work, 'zstd');
    await runner.run('zstd', ['-q', '-19', '-o', zstdPath, join(work, 'plain')]);
    blobs.set('zstd', { path: zstdPath, digest: digestOf(await readFile(zstdPath)) });
  });
  after(async () => { await rm(work, { recursive: true, force: true }); });

  function request(source: string, compression: CompressionOptions, expected: Digest = diffId): RecompressLayerRequest {
    const blob = blobs.get(source);
    if (blob === undefined) throw new Error(`no ${source} blob`);
    return { blobPath: blob.path, blobDigest: blob.digest, diffId: expected, compression, dir: out, runner };
  }

  async function zstdDecompress(path: string): Promise<Buffer> {
    const plain = `${path}.plain`;
    await runner.run('zstd', ['-q', '-d', '-f', '-o', plain, path]);
    try {
      return await readFile(plain);
    } finally {
      await rm(plain, { force: true });
    }
  }

  for (const source of ['plain', 'gzip', 'zstd']) {
    test(`${source} → zstd: zstd -t accepts it, it decompresses to the layer's tar, and is the same every time`, async () => {
      const first = await recompressLayer(request(source, { format: 'zstd', level: 3 }));
      const bytes = await readFile(first.path);
      assert.deepEqual([...bytes.subarray(0, 4)], [0x28, 0xb5, 0x2f, 0xfd]);
      assert.equal(first.digest, digestOf(bytes));
      assert.equal(first.size, bytes.length);
      await runner.run('zstd', ['-q', '-t', first.path]);
      assert.ok((await zstdDecompress(first.path)).equals(tar));
      const second = await recompressLayer(request(source, { format: 'zstd', level: 3 }));
      assert.equal(second.digest, first.digest, 'deterministic');
      assert.notEqual(second.path, first.path);
    });

    test(`${source} → gzip and → none`, async () => {
      const gzip = await recompressLayer(request(source, { format: 'gzip', level: 9 }));
      const gzipBytes = await readFile(gzip.path);
      assert.equal(gzip.digest, digestOf(gzipBytes));
      assert.ok(gunzipSync(gzipBytes).equals(tar));
      const none = await recompressLayer(request(source, { format: 'none' }));
      assert.equal(none.digest, diffId, 'an uncompressed layer\'s digest is its diff ID');
      assert.ok((await readFile(none.path)).equals(tar));
    });
  }

  test('levels change the bytes, not the content', async () => {
    const fast = await recompressLayer(request('plain', { format: 'zstd', level: 1 }));
    const small = await recompressLayer(request('plain', { format: 'zstd', level: 19 }));
    assert.notEqual(fast.digest, small.digest);
    assert.ok((await zstdDecompress(small.path)).equals(tar));
  });

  test('a blob that is not the layer the config names is data-loss, and leaves no file behind', async () => {
    const wrong = parseDigest(`sha256:${'0'.repeat(64)}`);
    const before = (await readdir(out)).length;
    for (const [source, format] of [['gzip', 'zstd'], ['plain', 'gzip'], ['zstd', 'none']] as const) {
      const compression: CompressionOptions = format === 'none' ? { format } : { format, level: 3 };
      await assert.rejects(recompressLayer(request(source, compression, wrong)), (err: unknown) => isBerthError(err, 'data-loss') && err.reason === 'diff-id-mismatch');
    }
    assert.equal((await readdir(out)).length, before);
  });
});
