import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseJson } from './parse-json.js';
import { imageConfigSchema, manifestSchema } from './schemas.js';
import { isBerthError } from '../base/errors.js';

const D = `sha256:${'b'.repeat(64)}`;

test('a valid manifest parses', () => {
  const m = parseJson(manifestSchema, JSON.stringify({
    schemaVersion: 2,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: D, size: 10 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: D, size: 5, extra: 1 }],
  }), 'manifest');
  assert.equal(m.layers.length, 1);
});

test('errors name the offending field', () => {
  assert.throws(
    () => parseJson(manifestSchema, JSON.stringify({ schemaVersion: 2, config: { mediaType: 'x', digest: 'sha256:zz', size: 1 }, layers: [] }), 'manifest'),
    (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.includes('config.digest'),
  );
  assert.throws(
    () => parseJson(imageConfigSchema, JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [D, 5] } }), 'config'),
    (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.includes('rootfs.diff_ids.1'),
  );
  assert.throws(() => parseJson(manifestSchema, '{not json', 'manifest'), (err: unknown) => isBerthError(err, 'invalid-argument'));
});
