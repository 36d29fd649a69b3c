import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BerthError } from '../../base/errors.js';
import { MediaType } from '../../oci/media-types.js';
import {
  compressionOfMediaType, configMediaTypeFor, layerMediaTypeFor, manifestMediaTypeFor, parseCompressionOptions, type CompressionInput,
} from './layer-compression.js';

const fields = { formatField: '--compression', levelField: '--compression-level' };
const parse = (format: CompressionInput['format'], level?: CompressionInput['level']) => parseCompressionOptions({ format, level, ...fields });

function rejects(format: string | undefined, level: string | number | undefined, reason: string, field: string): void {
  assert.throws(() => parse(format, level), (err: unknown) => {
    assert.ok(err instanceof BerthError);
    assert.equal(err.kind, 'invalid-argument');
    assert.equal(err.reason, reason);
    assert.ok(err.message.startsWith(`${field}:`), err.message);
    return true;
  });
}

test('no format and no level: the command keeps its default', () => {
  assert.equal(parse(undefined), undefined);
  assert.equal(parse(''), undefined);
  assert.equal(parse('', ''), undefined);
});

test('each format gets its default level, and a level within its range', () => {
  assert.deepEqual(parse('zstd'), { format: 'zstd', level: 3 });
  assert.deepEqual(parse('gzip'), { format: 'gzip', level: 6 });
  assert.deepEqual(parse('none'), { format: 'none' });
  assert.deepEqual(parse('zstd', '19'), { format: 'zstd', level: 19 });
  assert.deepEqual(parse('zstd', 1), { format: 'zstd', level: 1 });
  assert.deepEqual(parse('gzip', '9'), { format: 'gzip', level: 9 });
});

test('bad input is refused naming the field', () => {
  rejects('brotli', undefined, 'unknown-compression', '--compression');
  rejects('ZSTD', undefined, 'unknown-compression', '--compression');
  rejects('zstd', '20', 'compression-level-out-of-range', '--compression-level');
  rejects('zstd', '0', 'compression-level-out-of-range', '--compression-level');
  rejects('gzip', '10', 'compression-level-out-of-range', '--compression-level');
  rejects('gzip', '-1', 'compression-level-out-of-range', '--compression-level');
  rejects('zstd', 'fast', 'invalid-compression-level', '--compression-level');
  rejects('zstd', '3.5', 'invalid-compression-level', '--compression-level');
  rejects('none', '3', 'compression-level-for-none', '--compression-level');
  rejects(undefined, '3', 'compression-level-without-format', '--compression-level');
});

test('media types name their compression', () => {
  assert.equal(compressionOfMediaType(MediaType.ociLayer), 'none');
  assert.equal(compressionOfMediaType(MediaType.dockerLayer), 'none');
  assert.equal(compressionOfMediaType(MediaType.ociLayerGzip), 'gzip');
  assert.equal(compressionOfMediaType(MediaType.dockerLayerGzip), 'gzip');
  assert.equal(compressionOfMediaType(MediaType.ociLayerZstd), 'zstd');
  assert.equal(compressionOfMediaType('application/octet-stream'), undefined);
});

test('zstd needs an OCI manifest; gzip and none keep the manifest family', () => {
  assert.equal(manifestMediaTypeFor('zstd', MediaType.dockerManifest), MediaType.ociManifest);
  assert.equal(manifestMediaTypeFor('gzip', MediaType.dockerManifest), MediaType.dockerManifest);
  assert.equal(manifestMediaTypeFor('none', MediaType.ociManifest), MediaType.ociManifest);
  assert.equal(layerMediaTypeFor('zstd', MediaType.ociManifest), MediaType.ociLayerZstd);
  assert.equal(layerMediaTypeFor('gzip', MediaType.dockerManifest), MediaType.dockerLayerGzip);
  assert.equal(layerMediaTypeFor('none', MediaType.dockerManifest), MediaType.dockerLayer);
  assert.equal(layerMediaTypeFor('gzip', MediaType.ociManifest), MediaType.ociLayerGzip);
  assert.throws(() => layerMediaTypeFor('zstd', MediaType.dockerManifest), /cannot carry a zstd layer/);
  assert.equal(configMediaTypeFor(MediaType.ociManifest), MediaType.ociConfig);
  assert.equal(configMediaTypeFor(MediaType.dockerManifest), MediaType.dockerConfig);
});
