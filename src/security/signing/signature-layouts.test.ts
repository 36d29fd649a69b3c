import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { digestOf } from '../../base/digest.js';
import {
  BUNDLE_MEDIA_TYPE, bundleManifest, parseBundleManifest, parseReferrersIndex, parseSignatureManifest, referrersTag, signatureManifest, signatureTag, withReferrer,
} from './signature-layouts.js';
import { parseSimpleSigning, simpleSigningPayload } from './simple-signing.js';
import { parseStatement, statement, statementNames } from './in-toto.js';

const image = digestOf('image manifest');

describe('signature layouts', () => {
  it('names the classic tag and the referrers tag after the digest', () => {
    assert.equal(signatureTag(image), `${image.replace(':', '-')}.sig`);
    assert.equal(referrersTag(image), image.replace(':', '-'));
  });

  it('writes a classic manifest whose layers read back as the signatures, skipping other layers', () => {
    const payload = simpleSigningPayload('127.0.0.1:5000/app', image);
    const layer = { payload: { mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', digest: digestOf(payload), size: payload.length }, signature: 'c2ln', keyId: 'ab' };
    const { manifest, config } = signatureManifest([layer]);
    const doc = JSON.parse(manifest.toString()) as { config: { digest: string }; layers: unknown[] };
    assert.equal(doc.config.digest, digestOf(config));
    assert.deepEqual(parseSignatureManifest(manifest, 'm'), [layer]);
    const mixed = JSON.stringify({ ...doc, layers: [...doc.layers, { mediaType: 'text/plain', digest: image, size: 1 }] });
    assert.equal(parseSignatureManifest(Buffer.from(mixed), 'm').length, 1);
    assert.throws(() => parseSignatureManifest(Buffer.from('{"schemaVersion":2}'), 'm'), /m \(signature manifest\): field config: /);
  });

  it('attaches a bundle with the empty config and the subject, and lists it in a referrers index', () => {
    const bundle = { digest: digestOf('bundle'), size: 6 };
    const manifest = bundleManifest({ bundle, subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image, size: 10 }, content: 'dsse-envelope', predicateType: 'p', created: new Date(0) });
    const doc = JSON.parse(manifest.toString()) as { artifactType: string; config: { mediaType: string; size: number }; annotations: Record<string, string> };
    assert.equal(doc.artifactType, BUNDLE_MEDIA_TYPE);
    assert.deepEqual([doc.config.mediaType, doc.config.size], ['application/vnd.oci.empty.v1+json', 2]);
    assert.equal(doc.annotations['dev.sigstore.bundle.predicateType'], 'p');
    assert.deepEqual(parseBundleManifest(manifest, 'b'), { bundle: { mediaType: BUNDLE_MEDIA_TYPE, ...bundle, annotations: { 'org.opencontainers.image.title': `sha256-${bundle.digest.slice(7)}.sigstore.json` } }, subject: image });
    const entry = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: digestOf(manifest), size: manifest.length, artifactType: BUNDLE_MEDIA_TYPE };
    const index = withReferrer(parseReferrersIndex(withReferrer([], entry), 'i'), entry);
    assert.deepEqual(parseReferrersIndex(index, 'i'), [entry]);
  });

  it('reads back the simple signing payload and the in-toto statement, refusing others', () => {
    assert.deepEqual(parseSimpleSigning(simpleSigningPayload('r', image), 'p'), { reference: 'r', digest: image, optional: null });
    assert.throws(() => parseSimpleSigning(Buffer.from('{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"x"},"type":"other"}}'), 'p'), /p: critical.type is "other"/);
    const s = parseStatement(statement('r', image, 'https://cyclonedx.org/bom', { bomFormat: 'CycloneDX' }), 's');
    assert.ok(statementNames(s, image));
    assert.ok(!statementNames(s, digestOf('other')));
    assert.throws(() => parseStatement(Buffer.from('{"_type":"x","subject":[]}'), 's'), /s: the signed in-toto statement: field subject: /);
  });
});
