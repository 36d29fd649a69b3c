import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDigest, type Digest } from '../../base/digest.js';
import { isBerthError } from '../../base/errors.js';
import { MediaType } from '../../oci/media-types.js';
import type { Manifest } from '../../oci/schemas.js';
import { planRecompression, recompressedManifest } from './manifest-recompression.js';

const digest = (c: string): Digest => parseDigest(`sha256:${c.repeat(64)}`);

function manifest(mediaType: string, configType: string, layers: [string, string][], extra: Partial<Manifest> = {}): Manifest {
  return {
    schemaVersion: 2, mediaType,
    config: { mediaType: configType, digest: digest('c'), size: 100 },
    layers: layers.map(([type, d]) => ({ mediaType: type, digest: digest(d), size: 10 })),
    ...extra,
  };
}

const ociPlain = manifest(MediaType.ociManifest, MediaType.ociConfig, [[MediaType.ociLayerGzip, '1'], [MediaType.ociLayer, '2']], { annotations: { a: 'b' } });
const dockerGzip = manifest(MediaType.dockerManifest, MediaType.dockerConfig, [[MediaType.dockerLayerGzip, '1'], [MediaType.dockerLayer, '2']]);

test('zstd recompresses every other layer, and a Docker manifest becomes an OCI one with the OCI config type', () => {
  const plan = planRecompression(dockerGzip, MediaType.dockerManifest, 'zstd');
  assert.equal(plan.changed, true);
  assert.equal(plan.manifestMediaType, MediaType.ociManifest);
  assert.deepEqual(plan.layers.map((l) => [l.recompress, l.mediaType]), [[true, MediaType.ociLayerZstd], [true, MediaType.ociLayerZstd]]);
  const result = recompressedManifest(dockerGzip, plan, new Map([[0, { digest: digest('a'), size: 7 }], [1, { digest: digest('b'), size: 8 }]]));
  assert.deepEqual(result, {
    schemaVersion: 2, mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: digest('c'), size: 100 },
    layers: [
      { mediaType: MediaType.ociLayerZstd, digest: digest('a'), size: 7 },
      { mediaType: MediaType.ociLayerZstd, digest: digest('b'), size: 8 },
    ],
  });
});

test('a layer already in the format is kept byte for byte; the OCI manifest keeps its annotations', () => {
  const plan = planRecompression(ociPlain, MediaType.ociManifest, 'gzip');
  assert.deepEqual(plan.layers.map((l) => l.recompress), [false, true]);
  const result = recompressedManifest(ociPlain, plan, new Map([[1, { digest: digest('b'), size: 8 }]]));
  assert.deepEqual(result.layers.map((l) => [l.mediaType, l.digest]), [[MediaType.ociLayerGzip, digest('1')], [MediaType.ociLayerGzip, digest('b')]]);
  assert.deepEqual(result.annotations, { a: 'b' });
  assert.equal(result.config.mediaType, MediaType.ociConfig);
});

test('gzip and none keep a Docker manifest Docker', () => {
  const plan = planRecompression(dockerGzip, MediaType.dockerManifest, 'none');
  assert.equal(plan.manifestMediaType, MediaType.dockerManifest);
  assert.deepEqual(plan.layers.map((l) => [l.recompress, l.mediaType]), [[true, MediaType.dockerLayer], [false, MediaType.dockerLayer]]);
  const result = recompressedManifest(dockerGzip, plan, new Map([[0, { digest: digest('a'), size: 7 }]]));
  assert.equal(result.config.mediaType, MediaType.dockerConfig);
});

test('nothing to do: the stored manifest stays', () => {
  const zstd = manifest(MediaType.ociManifest, MediaType.ociConfig, [[MediaType.ociLayerZstd, '1']]);
  assert.equal(planRecompression(zstd, MediaType.ociManifest, 'zstd').changed, false);
  assert.equal(planRecompression(dockerGzip, MediaType.dockerManifest, 'gzip').changed, true, 'its plain layer changes');
  const gzipOnly = manifest(MediaType.dockerManifest, MediaType.dockerConfig, [[MediaType.dockerLayerGzip, '1']]);
  assert.equal(planRecompression(gzipOnly, MediaType.dockerManifest, 'gzip').changed, false);
});

test('foreign layers stay as they are; an unknown layer type is refused naming it', () => {
  const foreign = manifest(MediaType.dockerManifest, MediaType.dockerConfig, [[MediaType.dockerForeignLayerGzip, '1'], [MediaType.dockerLayer, '2']]);
  const plan = planRecompression(foreign, MediaType.dockerManifest, 'gzip');
  assert.deepEqual(plan.layers.map((l) => [l.recompress, l.mediaType]), [[false, MediaType.dockerForeignLayerGzip], [true, MediaType.dockerLayerGzip]]);
  const odd = manifest(MediaType.ociManifest, MediaType.ociConfig, [[MediaType.ociLayer, '1'], ['application/x-thing', '2']]);
  assert.throws(() => planRecompression(odd, MediaType.ociManifest, 'zstd'), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.includes('layers.1'));
});

test('a recompressed layer without its new blob is an internal error', () => {
  const plan = planRecompression(ociPlain, MediaType.ociManifest, 'zstd');
  assert.throws(() => recompressedManifest(ociPlain, plan, new Map([[0, { digest: digest('a'), size: 1 }]])), (err: unknown) => isBerthError(err, 'internal'));
});
