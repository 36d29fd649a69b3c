// berth push --compression against berth's own registry on 127.0.0.1: the layers arrive in the
// requested compression under a new manifest (OCI for zstd), the image id and diff IDs stay,
// skopeo reads the result, and a zstd image pulls into a fresh state root and runs. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDigest } from '../../../src/base/digest.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { openNodeServices } from '../../../src/daemon/node-services.js';
import type { ProgressMessage } from '../../../src/images/distribution/transfer-progress.js';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { startRegistryServer, type RunningRegistry } from '../../../src/registry/registry-server.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { needsRoot } from '../../support/berth-cli.js';
import { assertLayer, registryBlob, registryManifest, type PlainManifest } from '../../support/layer-checks.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

const runner = new ChildProcessRunner();
const skopeoSkip = existsSync('/usr/bin/skopeo') ? false : 'needs skopeo';

describe('berth push --compression', { skip: needsRoot() }, () => {
  let work: string;
  let registry: RunningRegistry;
  let host: string;
  let source: ImageService;
  let fresh: ImageService;
  let busyboxId: string;
  let diffIds: string[];

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-push-compression-'));
    registry = await startRegistryServer({ root: join(work, 'registry'), addr: '127.0.0.1:0', gcIntervalMs: 0 });
    host = new URL(registry.url).host;
    source = await openImageNode(join(work, 'source'));
    const busybox = await source.bootstrap('busybox');
    busyboxId = busybox.id;
    diffIds = (await source.config(busybox)).rootfs.diff_ids;
    fresh = await openImageNode(join(work, 'fresh'));
  });
  after(async () => {
    await fresh.close();
    await source.close();
    await registry.close();
    await rm(work, { recursive: true, force: true });
  });

  async function assertLayers(repo: string, manifest: PlainManifest, format: 'gzip' | 'zstd' | 'none'): Promise<void> {
    assert.equal(manifest.layers.length, diffIds.length);
    for (const [i, layer] of manifest.layers.entries()) {
      await assertLayer(await registryBlob(registry.url, repo, layer.digest), format, layer.digest, diffIds[i] ?? '', join(work, 'blob'));
    }
  }

  test('zstd: an OCI manifest with zstd layers and the same config; the local store is unchanged', async () => {
    const name = `${host}/team/zstd:1`;
    const stored = source.tag('busybox', name);
    const progress: ProgressMessage[] = [];
    const pushed = await source.push(name, { compression: { format: 'zstd', level: 3 }, onProgress: (m) => progress.push(m) });

    const { manifest, digest, contentType } = await registryManifest(registry.url, 'team/zstd', '1');
    assert.equal(contentType, MediaType.ociManifest);
    assert.equal(manifest.mediaType, MediaType.ociManifest);
    assert.equal(pushed.digest, digest);
    assert.notEqual(pushed.digest, stored.manifestDigest, 'the stored layer was plain: a new manifest went out');
    assert.deepEqual([manifest.config.mediaType, manifest.config.digest], [MediaType.ociConfig, busyboxId]);
    assert.deepEqual(manifest.layers.map((l) => l.mediaType), diffIds.map(() => MediaType.ociLayerZstd));
    await assertLayers('team/zstd', manifest, 'zstd');
    assert.ok(progress.some((m) => m.status === 'Compressing (zstd)'), JSON.stringify(progress));

    const after = source.resolve(name);
    assert.equal(after.manifestDigest, stored.manifestDigest);
    for (const layer of manifest.layers) assert.equal(await source.content.has(parseDigest(layer.digest)), false, 'no recompressed blob kept');
    assert.deepEqual((await readdir(source.root.tmp)).filter((e) => e.startsWith('recompress-')), []);
  });

  test('skopeo reads the zstd image: inspect --raw and a copy to an OCI layout', { skip: skopeoSkip }, async () => {
    const ref = `docker://${host}/team/zstd:1`;
    const { stdout } = await runner.run('skopeo', ['inspect', '--raw', '--tls-verify=false', ref]);
    const { manifest } = await registryManifest(registry.url, 'team/zstd', '1');
    assert.deepEqual(JSON.parse(stdout), manifest);
    const layout = join(work, 'skopeo-layout');
    await runner.run('skopeo', ['copy', '--src-tls-verify=false', ref, `oci:${layout}:1`]);
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    const copied = JSON.parse(await readFile(join(layout, 'blobs', 'sha256', (index.manifests[0]?.digest ?? '').slice(7)), 'utf8')) as PlainManifest;
    assert.deepEqual(copied.layers.map((l) => [l.mediaType, l.digest]), manifest.layers.map((l) => [l.mediaType, l.digest]), 'skopeo kept the zstd layers');
    for (const [i, layer] of copied.layers.entries()) {
      await assertLayer(await readFile(join(layout, 'blobs', 'sha256', layer.digest.slice(7))), 'zstd', layer.digest, diffIds[i] ?? '', join(work, 'blob'));
    }
  });

  test('the zstd image pulls into a fresh state root with the same id, keeps its zstd layers, and runs', async () => {
    const name = `${host}/team/zstd:1`;
    await sweepLeftovers();
    const engine = (await openNodeServices(fresh, { cgroupParent: `/${testCgroupName()}` })).containers;
    try {
      const pulled = await fresh.pull(name);
      assert.equal(pulled.image.id, busyboxId);
      const stored = JSON.parse((await fresh.content.readBytes(pulled.image.manifestDigest)).toString('utf8')) as PlainManifest;
      assert.deepEqual(stored.layers.map((l) => l.mediaType), diffIds.map(() => MediaType.ociLayerZstd));
      const { id } = await engine.create({ image: name, options: { cmd: ['sh', '-c', 'echo from-zstd-layers'] } });
      const exited = engine.wait(id, 'next-exit');
      await engine.start(id);
      assert.equal((await exited).exitCode, 0);
      assert.deepEqual((await readLog(engine.paths.log(id))).map((e) => e.line), ['from-zstd-layers']);
      await engine.remove(id, { force: true });
    } finally {
      engine.close();
      await sweepLeftovers();
    }
  });

  test('gzip and none from zstd layers; without --compression the stored manifest goes as it is', async () => {
    const zstdName = `${host}/team/zstd:1`;
    const pulled = fresh.resolve(zstdName);
    fresh.tag(zstdName, `${host}/team/gzip:1`);
    await fresh.push(`${host}/team/gzip:1`, { compression: { format: 'gzip', level: 1 } });
    const gzip = await registryManifest(registry.url, 'team/gzip', '1');
    assert.deepEqual(gzip.manifest.layers.map((l) => l.mediaType), diffIds.map(() => MediaType.ociLayerGzip));
    await assertLayers('team/gzip', gzip.manifest, 'gzip');

    fresh.tag(zstdName, `${host}/team/plain:1`);
    await fresh.push(`${host}/team/plain:1`, { compression: { format: 'none' } });
    const plain = await registryManifest(registry.url, 'team/plain', '1');
    assert.deepEqual(plain.manifest.layers.map((l) => [l.mediaType, l.digest]), diffIds.map((d) => [MediaType.ociLayer, d]));

    fresh.tag(zstdName, `${host}/team/as-stored:1`);
    const asStored = await fresh.push(`${host}/team/as-stored:1`);
    assert.equal(asStored.digest, pulled.manifestDigest);
    const again = await fresh.push(`${host}/team/as-stored:1`, { compression: { format: 'zstd', level: 19 } });
    assert.equal(again.digest, pulled.manifestDigest, 'layers already zstd are kept byte for byte, whatever the level');
    const busyboxAsStored = await source.push(`${host}/team/zstd:1`);
    assert.equal(busyboxAsStored.digest, source.resolve('busybox').manifestDigest);
  });
});
