// berth build --compression: the result's layers — the base image's too — are stored in the
// requested compression under a new manifest, with the same image id (a rebuild from the cache
// just changes how it is stored); the image runs; what only the old manifest kept is collected.
// Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Digest } from '../../../src/base/digest.js';
import type { ImageRecord } from '../../../src/images/image-record.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { assertLayer, type PlainManifest } from '../../support/layer-checks.js';
import { BuildFixture, skipReason } from './build-fixture.js';

describe('build --compression', { skip: skipReason() }, () => {
  let f: BuildFixture;
  let dir: string;
  before(async () => {
    f = await BuildFixture.create();
    dir = await f.context({ Dockerfile: ['FROM busybox', 'RUN echo built > /hello', 'CMD ["cat", "/hello"]'].join('\n') });
  });
  after(async () => { await f.cleanup(); });

  async function storedManifest(image: ImageRecord): Promise<PlainManifest> {
    return JSON.parse((await f.images.content.readBytes(image.manifestDigest)).toString('utf8')) as PlainManifest;
  }

  async function assertStoredLayers(image: ImageRecord, format: 'zstd' | 'none'): Promise<void> {
    const manifest = await storedManifest(image);
    const diffIds = (await f.images.config(image)).rootfs.diff_ids;
    assert.equal(manifest.layers.length, 2, 'busybox\'s layer and the RUN\'s');
    for (const [i, layer] of manifest.layers.entries()) {
      await assertLayer(await f.images.content.readBytes(layer.digest as Digest), format, layer.digest, diffIds[i] ?? '', join(f.engineFixture.root, 'tmp', 'check'));
    }
  }

  test('zstd: every layer stored as zstd in an OCI manifest, the same id as the default build, and it runs', async () => {
    const plain = await f.build(dir, { tags: ['packed:1'] });
    const plainManifest = await storedManifest(plain.image);
    assert.deepEqual(plainManifest.layers.map((l) => l.mediaType), [MediaType.ociLayer, MediaType.ociLayer], 'the default: uncompressed');

    const zstd = await f.build(dir, { tags: ['packed:1'], compression: { format: 'zstd', level: 3 } });
    assert.equal(zstd.image.id, plain.image.id);
    assert.equal(zstd.cachedSteps, 2, 'the steps came from the cache');
    assert.ok(zstd.log.some((line) => line.includes('Compressing layer')), zstd.log.join('\n'));
    assert.equal(zstd.image.manifestMediaType, MediaType.ociManifest);
    assert.notEqual(zstd.image.manifestDigest, plain.image.manifestDigest);
    const manifest = await storedManifest(zstd.image);
    assert.equal(manifest.mediaType, MediaType.ociManifest);
    assert.deepEqual(manifest.layers.map((l) => l.mediaType), [MediaType.ociLayerZstd, MediaType.ociLayerZstd]);
    await assertStoredLayers(zstd.image, 'zstd');
    assert.equal(f.images.resolve('packed:1').manifestDigest, zstd.image.manifestDigest);

    assert.equal(await f.images.content.has(plain.image.manifestDigest), false, 'the manifest only the old form had was collected');
    const runLayer = plainManifest.layers[1]?.digest as Digest;
    assert.equal(await f.images.content.has(runLayer), true, 'the RUN step\'s cached image keeps its own layer blob');

    const run = await f.run('packed:1', undefined);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, 'built\n');
  });

  test('none: back to uncompressed layers whose digests are their diff IDs', async () => {
    const result = await f.build(dir, { tags: ['packed:1'], compression: { format: 'none' } });
    await assertStoredLayers(result.image, 'none');
    assert.equal((await f.run('packed:1', undefined)).stdout, 'built\n');
  });
});
