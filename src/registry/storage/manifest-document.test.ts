import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { parseManifestDocument } from './manifest-document.js';

const d = (c: string): string => `sha256:${c.repeat(64)}`;
const manifest = {
  schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('a'), size: 1 },
  layers: [
    { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: d('b'), size: 2 },
    { mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', digest: d('c'), size: 3, urls: ['https://example.com/x'] },
  ],
  subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('e'), size: 4 },
};
const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isBerthError(err) ? err.reason : 'other';
  }
  return undefined;
};

test('an image manifest: blobs to check (foreign layers skipped), subject, artifact type', () => {
  const doc = parseManifestDocument(Buffer.from(JSON.stringify(manifest)), 'application/vnd.oci.image.manifest.v1+json');
  assert.deepEqual(doc.blobs, [d('a'), d('b')]);
  assert.deepEqual(doc.manifests, []);
  assert.equal(doc.subject?.digest, d('e'));
  assert.equal(doc.artifactType, 'application/vnd.oci.image.config.v1+json');
});

test('an index: child manifests to check; the media type may come from the header only', () => {
  const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: d('f'), size: 5 }] };
  const doc = parseManifestDocument(Buffer.from(JSON.stringify(index)), 'application/vnd.docker.distribution.manifest.list.v2+json');
  assert.equal(doc.mediaType, 'application/vnd.docker.distribution.manifest.list.v2+json');
  assert.deepEqual(doc.manifests, [d('f')]);
});

test('malformed or mismatched manifests are MANIFEST_INVALID', () => {
  assert.equal(reasonOf(() => parseManifestDocument(Buffer.from('{'), 'application/vnd.oci.image.manifest.v1+json')), 'invalid-json');
  assert.equal(reasonOf(() => parseManifestDocument(Buffer.from(JSON.stringify({ ...manifest, layers: 'x' })), undefined)), 'invalid-document');
  assert.equal(reasonOf(() => parseManifestDocument(Buffer.from(JSON.stringify(manifest)), 'application/vnd.oci.image.index.v1+json')), 'MANIFEST_INVALID');
  assert.equal(reasonOf(() => parseManifestDocument(Buffer.from(JSON.stringify({ schemaVersion: 2 })), undefined)), 'MANIFEST_INVALID');
  assert.equal(reasonOf(() => parseManifestDocument(Buffer.from(JSON.stringify({ schemaVersion: 1 })), 'application/vnd.docker.distribution.manifest.v1+prettyjws')), 'MANIFEST_INVALID');
});
