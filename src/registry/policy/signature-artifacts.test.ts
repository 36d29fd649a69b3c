import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSignatureArtifact, isSignatureTag } from './signature-artifacts.js';

const HEX = 'c'.repeat(64);
const doc = (fields: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', ...fields }));
const IMAGE_LAYER = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${HEX}`, size: 1 };
const cosignSignature = doc({
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${HEX}`, size: 1 },
  layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: `sha256:${HEX}`, size: 1 }],
});
const image = doc({ config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${HEX}`, size: 1 }, layers: [IMAGE_LAYER] });

test('signature tags: cosign, the referrers tag schema, .sig and .att', () => {
  for (const tag of [`sha256-${HEX}.sig`, `sha256-${HEX}.att`, `sha256-${HEX}.sbom`, `sha256-${HEX}`, 'v1.sig', 'v1.att']) assert.equal(isSignatureTag(tag), true, tag);
  for (const tag of ['v1', 'sig', `sha256-${HEX.slice(1)}`, 'latest']) assert.equal(isSignatureTag(tag), false, tag);
});

test('signatures, attestations, bundles and referrers are not gated', () => {
  assert.equal(isSignatureArtifact(`sha256-${HEX}.sig`, cosignSignature), true);
  assert.equal(isSignatureArtifact(`sha256:${HEX}`, cosignSignature), true, 'by digest: its layer type says it');
  assert.equal(isSignatureArtifact(`sha256:${HEX}`, doc({ artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json', layers: [] })), true);
  assert.equal(isSignatureArtifact('x', doc({ artifactType: 'application/vnd.example.sbom', layers: [], subject: { digest: `sha256:${HEX}` } })), true, 'a referrer');
  const referrersIndex = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }));
  assert.equal(isSignatureArtifact(`sha256-${HEX}`, referrersIndex), true);
});

test('a runnable image is gated whatever its tag, type or subject', () => {
  assert.equal(isSignatureArtifact('v1', image), false);
  assert.equal(isSignatureArtifact(`sha256-${HEX}.sig`, image), false);
  assert.equal(isSignatureArtifact('v1.sig', doc({ artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', layers: [IMAGE_LAYER], subject: {} })), false);
  const dockerLayer = { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest: `sha256:${HEX}`, size: 1 };
  assert.equal(isSignatureArtifact('x.sig', doc({ layers: [dockerLayer] })), false);
  assert.equal(isSignatureArtifact('x.sig', doc({ layers: [{ digest: `sha256:${HEX}`, size: 1 }] })), false, 'a layer without a type');
  assert.equal(isSignatureArtifact('x.sig', Buffer.from('not json')), false);
  assert.equal(isSignatureArtifact('v1', doc({ layers: [] })), false, 'nothing says it is a signature');
});
