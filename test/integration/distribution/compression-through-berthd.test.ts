// --compression through berthd: the berth CLI sends berth's `compression` / `compression-level`
// query parameters on push, save (GET /images/get) and build, berthd's routes carry them, and a
// bad value is a 400 naming the parameter. The registry is berthd's own (--registry-addr), on
// 127.0.0.1. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { berthAt, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { assertLayer, registryBlob, registryManifest } from '../../support/layer-checks.js';
import { freeLoopbackPort } from '../network/network-fixture.js';
import { testCgroupName } from '../runtime/runtime-fixtures.js';

/** One API call over berthd's socket: status and the error message of a JSON error answer (else the body). */
function call(socketPath: string, method: string, path: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, method, headers: { 'Content-Type': 'application/x-tar' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let text = body;
        try {
          const message = (JSON.parse(body) as { message?: unknown }).message;
          if (typeof message === 'string') text = message;
        } catch {
          // not a JSON error answer: the body as it is
        }
        resolve({ status: res.statusCode ?? 0, text });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--compression through berthd', { skip: needsRoot() }, () => {
  let work: string;
  let daemon: BerthdProcess;
  let registryUrl: string;
  let host: string;
  let diffIds: string[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-compression-api-'));
    const source = await openImageNode(join(work, 'source'));
    try {
      const busybox = await source.bootstrap('busybox');
      diffIds = (await source.config(busybox)).rootfs.diff_ids;
      await source.save(['busybox'], 'docker-archive', { path: join(work, 'busybox.tar') });
    } finally {
      await source.close();
    }
    const port = await freeLoopbackPort();
    host = `127.0.0.1:${port}`;
    registryUrl = `http://${host}`;
    daemon = await BerthdProcess.start(join(work, 'daemon-root'), join(work, 'daemon.sock'), ['--registry-addr', host, '--cgroup-parent', `/${testCgroupName()}`]);
    const load = await berthAt(daemon.socketPath, ['load', '-i', join(work, 'busybox.tar')]);
    assert.equal(load.code, 0, load.stderr);
  });
  after(async () => {
    await daemon.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('berth push --compression zstd sends zstd layers under an OCI manifest', async () => {
    const name = `${host}/own/busybox:zstd`;
    assert.equal((await berthAt(daemon.socketPath, ['tag', 'busybox', name])).code, 0);
    const push = await berthAt(daemon.socketPath, ['push', '--compression', 'zstd', '--compression-level', '5', name]);
    assert.equal(push.code, 0, push.stderr);
    const { manifest, contentType } = await registryManifest(registryUrl, 'own/busybox', 'zstd');
    assert.equal(contentType, MediaType.ociManifest);
    assert.deepEqual(manifest.layers.map((l) => l.mediaType), diffIds.map(() => MediaType.ociLayerZstd));
    for (const [i, layer] of manifest.layers.entries()) {
      await assertLayer(await registryBlob(registryUrl, 'own/busybox', layer.digest), 'zstd', layer.digest, diffIds[i] ?? '', join(work, 'blob'));
    }
  });

  test('berth build --compression zstd stores zstd layers: a plain push then sends them as they are', async () => {
    const context = join(work, 'context');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), 'FROM busybox\nCOPY greeting /greeting\n');
    await writeFile(join(context, 'greeting'), 'hello\n');
    const name = `${host}/own/built:1`;
    const build = await berthAt(daemon.socketPath, ['build', '--progress', 'plain', '--compression', 'zstd', '-t', name, context]);
    assert.equal(build.code, 0, build.stderr);
    assert.match(build.stderr + build.stdout, /Compressing layer/);
    const push = await berthAt(daemon.socketPath, ['push', name]);
    assert.equal(push.code, 0, push.stderr);
    const { manifest } = await registryManifest(registryUrl, 'own/built', '1');
    assert.equal(manifest.mediaType, MediaType.ociManifest);
    assert.deepEqual(manifest.layers.map((l) => l.mediaType), [MediaType.ociLayerZstd, MediaType.ociLayerZstd]);
  });

  test('berth save --compression gzip through berthd writes gzip layers', async () => {
    const archive = join(work, 'saved.tar');
    const save = await berthAt(daemon.socketPath, ['save', '--compression', 'gzip', '-o', archive, 'busybox']);
    assert.equal(save.code, 0, save.stderr);
    const files = new Map<string, Buffer>();
    const reader = extract();
    createReadStream(archive).pipe(reader);
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      files.set(entry.header.name, Buffer.concat(chunks));
    }
    const [entry] = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '[]') as { Layers: string[] }[];
    for (const [i, path] of (entry?.Layers ?? []).entries()) {
      await assertLayer(files.get(path) ?? Buffer.alloc(0), 'gzip', `sha256:${path.split('/').at(-1) ?? ''}`, diffIds[i] ?? '', join(work, 'blob'));
    }
  });

  test('a bad compression parameter is a 400 naming it, on push, build and save', async () => {
    const push = await call(daemon.socketPath, 'POST', `/v1.43/images/${host}/own/busybox/push?tag=zstd&compression=lz4`);
    assert.equal(push.status, 400, push.text);
    assert.match(push.text, /compression: unknown compression "lz4"/);
    const build = await call(daemon.socketPath, 'POST', '/v1.43/build?compression=zstd&compression-level=99');
    assert.equal(build.status, 400, build.text);
    assert.match(build.text, /compression-level: zstd levels are 1 to 19/);
    const save = await call(daemon.socketPath, 'GET', '/v1.43/images/get?names=busybox&compression-level=3');
    assert.equal(save.status, 400, save.text);
    assert.match(save.text, /compression-level:/);
    const cli = await berthAt(daemon.socketPath, ['push', '--compression', 'zstd', '--compression-level', '0', `${host}/own/busybox:zstd`]);
    assert.equal(cli.code, 2, cli.stderr);
    assert.match(cli.stderr, /--compression-level:/);
  });
});
