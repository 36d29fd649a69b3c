import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf } from '../../base/digest.js';
import { isBerthError } from '../../base/errors.js';
import { MediaType } from '../../oci/media-types.js';
import { selectPlatform } from './image-puller.js';

const entry = (n: string, platform: object, mediaType: string = MediaType.ociManifest): object => ({ mediaType, digest: digestOf(n), size: 1, platform });
const index = (manifests: object[]) => {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }));
  return { bytes, mediaType: MediaType.ociIndex, digest: digestOf(bytes) };
};

test('selectPlatform picks os/arch, matches variants as Docker does, skips attestations', () => {
  const doc = index([
    entry('attestation', { os: 'unknown', architecture: 'unknown' }),
    entry('amd64', { os: 'linux', architecture: 'amd64' }),
    entry('armv6', { os: 'linux', architecture: 'arm', variant: 'v6' }),
    entry('armv7', { os: 'linux', architecture: 'arm', variant: 'v7' }),
    entry('arm64', { os: 'linux', architecture: 'arm64' }),
    entry('artifact', { os: 'linux', architecture: 's390x' }, 'application/vnd.example.artifact'),
  ]);
  assert.equal(selectPlatform(doc, { os: 'linux', architecture: 'amd64' }).digest, digestOf('amd64'));
  assert.equal(selectPlatform(doc, { os: 'linux', architecture: 'arm', variant: 'v7' }).digest, digestOf('armv7'));
  assert.equal(selectPlatform(doc, { os: 'linux', architecture: 'arm64', variant: 'v8' }).digest, digestOf('arm64'));
  assert.throws(() => selectPlatform(doc, { os: 'linux', architecture: 's390x' }),
    (err) => isBerthError(err, 'not-found') && /linux\/s390x .*has: unknown\/unknown, linux\/amd64/.test(err.message));
});
