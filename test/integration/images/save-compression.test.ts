// berth save --compression (in-process, on a state root): the archive's layers are in the
// requested compression under new manifests with the same config, other tools read them, and
// they load back into a fresh root as the same image. Bad flags are refused before anything is
// written; a killed process's scratch space goes at the next open. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { berth, berthOk, inspectImage, needsRoot } from '../../support/berth-cli.js';
import { assertLayer, type PlainManifest } from '../../support/layer-checks.js';

const runner = new ChildProcessRunner();

async function tarFiles(path: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const reader = extract();
  createReadStream(path).pipe(reader);
  for await (const entry of reader) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    files.set(entry.header.name, Buffer.concat(chunks));
  }
  return files;
}

describe('berth save --compression', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let imageId: string;
  let diffIds: string[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-save-compression-'));
    root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    const service = await openImageNode(root);
    try {
      const image = service.resolve('busybox');
      imageId = image.id;
      diffIds = (await service.config(image)).rootfs.diff_ids;
    } finally {
      await service.close();
    }
  });
  after(async () => { await rm(work, { recursive: true, force: true }); });

  test('oci-dir with zstd: zstd layers in an OCI manifest, skopeo reads it, it loads back with the same id', async () => {
    const dir = join(work, 'zstd-layout');
    await berthOk(root, ['save', '--format', 'oci-dir', '--compression', 'zstd', '--compression-level', '12', '-o', dir, 'busybox']);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { mediaType: string; digest: string }[] };
    const entry = index.manifests[0];
    assert.equal(entry?.mediaType, MediaType.ociManifest);
    const manifest = JSON.parse(await readFile(join(dir, 'blobs', 'sha256', entry.digest.slice(7)), 'utf8')) as PlainManifest;
    assert.equal(manifest.config.digest, imageId);
    assert.deepEqual(manifest.layers.map((l) => l.mediaType), diffIds.map(() => MediaType.ociLayerZstd));
    for (const [i, layer] of manifest.layers.entries()) {
      await assertLayer(await readFile(join(dir, 'blobs', 'sha256', layer.digest.slice(7))), 'zstd', layer.digest, diffIds[i] ?? '', join(work, 'blob'));
    }
    if (existsSync('/usr/bin/skopeo')) {
      const { stdout } = await runner.run('skopeo', ['inspect', '--raw', `oci:${dir}:latest`]);
      assert.deepEqual(JSON.parse(stdout), manifest);
    }
    const fresh = join(work, 'fresh-zstd');
    assert.match(await berthOk(fresh, ['load', '-i', dir]), /Loaded image: busybox:latest/);
    assert.equal((await inspectImage(fresh, 'busybox')).Id, imageId);
    const scratch = (await readdir(join(root, 'tmp')).catch(() => [] as string[])).filter((e) => e.startsWith('recompress-'));
    assert.deepEqual(scratch, [], 'the scratch directory is gone');
  });

  test('docker-archive with gzip: manifest.json\'s layers are gzip; it loads back with the same id', async () => {
    const archive = join(work, 'gzip.tar');
    await berthOk(root, ['save', '--compression', 'gzip', '--compression-level', '1', '-o', archive, 'busybox']);
    const files = await tarFiles(archive);
    const [entry] = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '[]') as { Config: string; Layers: string[] }[];
    assert.equal(entry?.Config, `blobs/sha256/${imageId.slice(7)}`);
    assert.equal(entry.Layers.length, diffIds.length);
    for (const [i, path] of entry.Layers.entries()) {
      await assertLayer(files.get(path) ?? Buffer.alloc(0), 'gzip', `sha256:${path.split('/').at(-1) ?? ''}`, diffIds[i] ?? '', join(work, 'blob'));
    }
    const fresh = join(work, 'fresh-gzip');
    assert.match(await berthOk(fresh, ['load', '-i', archive]), /Loaded image: busybox:latest/);
    assert.equal((await inspectImage(fresh, 'busybox')).Id, imageId);
  });

  test('without --compression the stored manifest and layers are written as they are', async () => {
    const dir = join(work, 'as-stored');
    await berthOk(root, ['save', '--format', 'oci-dir', '-o', dir, 'busybox']);
    const service = await openImageNode(root);
    try {
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
      assert.equal(index.manifests[0]?.digest, service.resolve('busybox').manifestDigest);
    } finally {
      await service.close();
    }
  });

  test('a scratch directory a killed process left is removed when the state root is opened next', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const left = join(root, 'tmp', `recompress-${gone}-abc123`);
    const ours = join(root, 'tmp', `recompress-${process.pid}-def456`);
    for (const dir of [left, ours]) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'layer-0123'), 'half a layer');
    }
    const service = await openImageNode(root);
    await service.close();
    assert.equal(existsSync(left), false);
    assert.equal(existsSync(ours), true, 'a live process\'s directory stays');
    await rm(ours, { recursive: true, force: true });
  });

  test('an unknown compression or a bad level is refused naming the flag, and nothing is written', async () => {
    const out = join(work, 'refused.tar');
    for (const [args, flag] of [
      [['--compression', 'brotli'], '--compression'],
      [['--compression', 'zstd', '--compression-level', '22'], '--compression-level'],
      [['--compression', 'gzip', '--compression-level', 'best'], '--compression-level'],
      [['--compression-level', '3'], '--compression-level'],
      [['--compression', 'none', '--compression-level', '3'], '--compression-level'],
    ] as const) {
      const result = await berth(root, ['save', ...args, '-o', out, 'busybox']);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`${flag}:`));
      assert.equal(existsSync(out), false);
    }
  });
});
