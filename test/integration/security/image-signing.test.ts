// berth sign / verify / attest / verify-attestation against berth's own registry (referrers API)
// and the CNCF registry (Debian's docker-registry 2.8: no referrers API, so the referrers tag
// scheme), both on 127.0.0.1: signatures in cosign's classic layout and as Sigstore bundles;
// bundles made by the Sigstore libraries verify with berth, and berth's verify with them (and its
// classic signatures by the letter of cosign's spec); a wrong key, an altered payload, a tag moved
// after signing, a copied signature and a missing one are each refused, saying which.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sign as cryptoSign, createPublicKey, verify as cryptoVerify } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { Verifier, toSignedEntity } from '@sigstore/verify';
import { startRegistryServer, type RunningRegistry } from '../../../src/registry/registry-server.js';
import { berth, berthOk, needsRoot, runBerth, type CliResult } from '../../support/berth-cli.js';
import { CncfRegistry, needsRegistry } from '../../support/cncf-registry.js';
import { makeTar } from '../../support/oci-fixtures.js';
import {
  attachBundle, bundleReferrers, getBlob, getManifest, plantClassic, putManifest, sigstoreBundle, signStatement, testKey, OCI_MANIFEST,
} from './signing-fixtures.js';

const PASSWORD = { COSIGN_PASSWORD: 'correct horse' };

interface Registry { host: string; stop(): Promise<void> }

async function berthRegistry(dir: string): Promise<Registry> {
  const running: RunningRegistry = await startRegistryServer({ root: dir, addr: '127.0.0.1:0', gcIntervalMs: 0 });
  return { host: new URL(running.url).host, stop: () => running.close() };
}

async function cncfRegistry(): Promise<Registry> {
  const registry = await CncfRegistry.start();
  return { host: registry.host, stop: () => registry.stop() };
}

const REGISTRIES: [string, (dir: string) => Promise<Registry>, string | false][] = [
  ['berth registry (referrers API)', berthRegistry, false],
  ['CNCF registry (referrers tag scheme)', cncfRegistry, needsRegistry()],
];

for (const [title, startRegistry, skipRegistry] of REGISTRIES) {
  describe(`image signing against the ${title}`, { skip: needsRoot() || skipRegistry }, () => {
    let work: string;
    let root: string;
    let registry: Registry;
    const ref = (name: string): string => `${registry.host}/${name}`;
    const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> => runBerth(args, { env, cwd: work });

    /** An image of its own content (`marker`), pushed as `name`; resolves its manifest. */
    async function pushImage(name: string, marker: string): Promise<{ digest: string; bytes: Buffer }> {
      await writeFile(join(work, 'image.tar'), await makeTar([{ name: 'marker', content: marker }]));
      await berthOk(root, ['import', join(work, 'image.tar'), ref(name)]);
      await berthOk(root, ['push', ref(name)]);
      const [repo, tag] = name.split(':');
      const manifest = await getManifest(registry.host, repo ?? '', tag ?? '');
      return { digest: manifest.digest, bytes: manifest.bytes };
    }

    before(async () => {
      work = await mkdtemp(join(tmpdir(), 'berth-signing-'));
      root = join(work, 'root');
      registry = await startRegistry(join(work, 'registry'));
      for (const prefix of ['k1', 'k2']) {
        const made = await cli(['sign', 'generate-key-pair', '--output-key-prefix', prefix], prefix === 'k1' ? PASSWORD : { COSIGN_PASSWORD: '' });
        assert.equal(made.code, 0, made.stderr);
      }
    });

    after(async () => {
      await registry.stop();
      await rm(work, { recursive: true, force: true });
    });

    test('generate-key-pair writes cosign\'s formats and refuses to overwrite them', async () => {
      assert.match(await readFile(join(work, 'k1.key'), 'utf8'), /^-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n/);
      assert.match(await readFile(join(work, 'k1.pub'), 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
      const again = await cli(['sign', 'generate-key-pair', '--output-key-prefix', 'k1'], PASSWORD);
      assert.equal(again.code, 4, again.stderr); // already-exists
      assert.match(again.stderr, /k1\.key exists: not overwritten/);
    });

    test('signs in both formats; each verifies and names the digest', async () => {
      const image = await pushImage('app:1', 'app');
      for (const format of ['classic', 'bundle']) {
        const signed = await cli(['sign', '--key', 'k1.key', '--signature-format', format, ref('app:1')], PASSWORD);
        assert.equal(signed.code, 0, signed.stderr);
        assert.match(signed.stderr, new RegExp(`Signed ${ref('app')}@${image.digest}`));
      }
      const verified = await cli(['verify', '--key', 'k1.pub', '--format', 'json', ref('app:1')]);
      assert.equal(verified.code, 0, verified.stderr);
      const view = JSON.parse(verified.stdout) as { image: string; verified: { format: string }[]; failures: string[] };
      assert.equal(view.image, `${ref('app')}@${image.digest}`);
      assert.deepEqual(view.verified.map((v) => v.format).sort(), ['bundle', 'classic']);
      const text = await cli(['verify', '--key', 'k2.pub', '--key', 'k1.pub', ref('app:1')]);
      assert.equal(text.code, 0, text.stderr);
      const payloads = JSON.parse(text.stdout) as { critical?: { image: { 'docker-manifest-digest': string } }; subject?: { digest: { sha256: string } }[] }[];
      assert.deepEqual(payloads.map((p) => p.critical?.image['docker-manifest-digest'] ?? `sha256:${p.subject?.[0]?.digest.sha256 ?? ''}`), [image.digest, image.digest]);
    });

    test('berth\'s bundle verifies with @sigstore/verify and its classic signature by cosign\'s spec', async () => {
      const image = await getManifest(registry.host, 'app', '1');
      const publicKey = createPublicKey(await readFile(join(work, 'k1.pub')));
      const [entry] = await bundleReferrers(registry.host, 'app', image.digest);
      assert.ok(entry, 'a bundle among the referrers');
      const manifest = JSON.parse((await getManifest(registry.host, 'app', entry.digest)).bytes.toString()) as { layers: { digest: string }[]; subject: { digest: string } };
      assert.equal(manifest.subject.digest, image.digest);
      const bundle = bundleFromJSON(JSON.parse((await getBlob(registry.host, 'app', manifest.layers[0]?.digest ?? '')).toString()));
      const trust = { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [], publicKey: () => ({ publicKey, validFor: () => true }) };
      new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
      assert.equal(bundle.content.$case, 'dsseEnvelope');
      const sig = JSON.parse((await getManifest(registry.host, 'app', `${image.digest.replace(':', '-')}.sig`)).bytes.toString()) as { layers: { mediaType: string; digest: string; annotations: Record<string, string> }[] };
      const layer = sig.layers[0];
      assert.equal(layer?.mediaType, 'application/vnd.dev.cosign.simplesigning.v1+json');
      const payload = await getBlob(registry.host, 'app', layer.digest);
      assert.ok(cryptoVerify('sha256', payload, publicKey, Buffer.from(layer.annotations['dev.cosignproject.cosign/signature'] ?? '', 'base64')));
      const simple = JSON.parse(payload.toString()) as { critical: { image: { 'docker-manifest-digest': string }; type: string } };
      assert.deepEqual([simple.critical.type, simple.critical.image['docker-manifest-digest']], ['cosign container image signature', image.digest]);
    });

    test('a bundle made by @sigstore/sign verifies with berth verify', async () => {
      const image = await pushImage('libsigned:1', 'libsigned');
      const key = await testKey(join(work, 'lib.pub'));
      const bundle = await sigstoreBundle(key, signStatement(ref('libsigned'), image.digest));
      await attachBundle(registry.host, 'libsigned', { ...image, status: 200 }, Buffer.from(JSON.stringify(bundle)));
      const verified = await cli(['verify', '--key', 'lib.pub', '--format', 'json', ref('libsigned:1')]);
      assert.equal(verified.code, 0, verified.stderr);
      assert.deepEqual((JSON.parse(verified.stdout) as { verified: { format: string }[] }).verified.map((v) => v.format), ['bundle']);
    });

    test('refuses a wrong key, a missing key and a missing signature, saying which', async () => {
      const wrong = await cli(['verify', '--key', 'k2.pub', ref('app:1')]);
      assert.equal(wrong.code, 7, wrong.stderr);
      assert.match(wrong.stderr, /classic signature 1 .*: signed by another key \([0-9a-f]{64}\), not by k2\.pub/);
      assert.match(wrong.stderr, /bundle .*: signed by another key \([0-9a-f]{64}\), not by k2\.pub/);
      const keyless = await cli(['verify', ref('app:1')]);
      assert.equal(keyless.code, 2, keyless.stderr);
      assert.match(keyless.stderr, /keyless signing and verification \(Fulcio certificates, the Rekor log\) need the internet and are not supported: give --key/);
      const image = await pushImage('unsigned:1', 'unsigned');
      const missing = await cli(['verify', '--key', 'k1.pub', ref('unsigned:1')]);
      assert.equal(missing.code, 7, missing.stderr);
      assert.match(missing.stderr, new RegExp(`no signature for ${ref('unsigned')}@${image.digest}: neither .*\\.sig nor a Sigstore bundle among its referrers`));
    });

    test('refuses an altered payload, in either format', async () => {
      const key = await testKey(join(work, 'tamper.pub'));
      const classic = await pushImage('tampered:1', 'tampered');
      const payload = Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': ref('tampered') }, image: { 'docker-manifest-digest': classic.digest }, type: 'cosign container image signature' }, optional: null }));
      const signature = cryptoSign('sha256', payload, key.privateKey).toString('base64');
      const altered = Buffer.from(payload.toString().replace('"optional":null', '"optional":{"by":"mallory"}'));
      await plantClassic(registry.host, 'tampered', classic.digest, altered, signature, key.hint);
      const refused = await cli(['verify', '--key', 'tamper.pub', ref('tampered:1')]);
      assert.equal(refused.code, 7, refused.stderr);
      assert.match(refused.stderr, /the signature by tamper\.pub does not match its payload sha256:[0-9a-f]{64}: the payload was altered/);
      // As cosign writes it, with no key id beside the signature: both causes are named.
      await plantClassic(registry.host, 'tampered', classic.digest, altered, signature);
      assert.match((await cli(['verify', '--key', 'tamper.pub', ref('tampered:1')])).stderr, /does not verify with tamper\.pub: signed by another key, or the payload was altered/);

      const dsse = await pushImage('tamperedbundle:1', 'tamperedbundle');
      const bundle = await sigstoreBundle(key, signStatement(ref('tamperedbundle'), dsse.digest));
      const envelope = bundle.dsseEnvelope as { payload: string };
      envelope.payload = Buffer.from(Buffer.from(envelope.payload, 'base64').toString().replace('"predicate":{}', '"predicate":{"by":"mallory"}')).toString('base64');
      await attachBundle(registry.host, 'tamperedbundle', { ...dsse, status: 200 }, Buffer.from(JSON.stringify(bundle)));
      const bundleRefused = await cli(['verify', '--key', 'tamper.pub', ref('tamperedbundle:1')]);
      assert.equal(bundleRefused.code, 7, bundleRefused.stderr);
      assert.match(bundleRefused.stderr, /the signature by tamper\.pub does not match the signed payload: the payload was altered/);
    });

    test('refuses a tag moved after signing and a signature copied to another digest', async () => {
      const signedImage = await pushImage('moved:1', 'first');
      assert.equal((await cli(['sign', '--key', 'k1.key', '--signature-format', 'classic', ref('moved:1')], PASSWORD)).code, 0);
      const now = await pushImage('moved:1', 'second');
      const moved = await cli(['verify', '--key', 'k1.pub', ref('moved:1')]);
      assert.equal(moved.code, 7, moved.stderr);
      assert.match(moved.stderr, new RegExp(`no signature for ${now.digest}, which ${ref('moved')}:1 names now; signatures exist for ${signedImage.digest}: the tag was moved to another manifest after signing`));
      const sig = await getManifest(registry.host, 'moved', `${signedImage.digest.replace(':', '-')}.sig`);
      await putManifest(registry.host, 'moved', `${now.digest.replace(':', '-')}.sig`, OCI_MANIFEST, sig.bytes);
      const copied = await cli(['verify', '--key', 'k1.pub', ref('moved:1')]);
      assert.equal(copied.code, 7, copied.stderr);
      assert.match(copied.stderr, new RegExp(`signed for ${signedImage.digest}, not for ${now.digest}: a signature copied from another image`));
    });

    test('attests an SBOM and verifies the attestation by type', async () => {
      const sbom = await berth(root, ['sbom', '--format', 'cyclonedx', ref('app:1')]);
      assert.equal(sbom.code, 0, sbom.stderr);
      await writeFile(join(work, 'sbom.json'), sbom.stdout);
      const attested = await cli(['attest', '--key', 'k1.key', '--predicate', 'sbom.json', '--type', 'cyclonedx', ref('app:1')], PASSWORD);
      assert.equal(attested.code, 0, attested.stderr);
      const verified = await cli(['verify-attestation', '--key', 'k1.pub', '--type', 'cyclonedx', ref('app:1')]);
      assert.equal(verified.code, 0, verified.stderr);
      const [statement] = JSON.parse(verified.stdout) as { predicateType: string; predicate: { bomFormat: string } }[];
      assert.deepEqual([statement?.predicateType, statement?.predicate.bomFormat], ['https://cyclonedx.org/bom', 'CycloneDX']);
      const other = await cli(['verify-attestation', '--key', 'k1.pub', '--type', 'spdx', ref('app:1')]);
      assert.equal(other.code, 7, other.stderr);
      assert.match(other.stderr, /no attestation of type https:\/\/spdx\.dev\/Document for /);
      // The attestation is not a signature: verify still counts the two signatures only.
      const signatures = JSON.parse((await cli(['verify', '--key', 'k1.pub', '--format', 'json', ref('app:1')])).stdout) as { verified: unknown[] };
      assert.equal(signatures.verified.length, 2);
    });
  });
}
