// What the image-signing tests do to a registry by hand, over plain HTTP on 127.0.0.1: read and
// write manifests and blobs as every OCI client would, to plant tampered or copied signatures and
// to attach bundles made by the Sigstore libraries themselves (cosign's bundle layout, with the
// referrers tag scheme on registries without the referrers API).
import { createHash, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { bundleToJSON } from '@sigstore/bundle';
import { DSSEBundleBuilder } from '@sigstore/sign';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const BUNDLE_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
export const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface Fetched { bytes: Buffer; digest: string; status: number }

export async function getManifest(host: string, repo: string, ref: string): Promise<Fetched> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { headers: { Accept: [OCI_MANIFEST, OCI_INDEX, 'application/vnd.docker.distribution.manifest.v2+json'].join(', ') } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { bytes, digest: sha256(bytes), status: res.status };
}

export async function getBlob(host: string, repo: string, digest: string): Promise<Buffer> {
  const res = await fetch(`http://${host}/v2/${repo}/blobs/${digest}`);
  if (res.status !== 200) throw new Error(`blob ${digest}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

export async function putBlob(host: string, repo: string, bytes: Buffer): Promise<string> {
  const digest = sha256(bytes);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  const location = new URL(start.headers.get('location') ?? '', `http://${host}`);
  location.searchParams.set('digest', digest);
  const done = await fetch(location, { method: 'PUT', body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
  if (done.status !== 201) throw new Error(`upload ${digest}: ${done.status} ${await done.text()}`);
  return digest;
}

export async function putManifest(host: string, repo: string, ref: string, mediaType: string, bytes: Buffer): Promise<Headers> {
  const res = await fetch(`http://${host}/v2/${repo}/manifests/${ref}`, { method: 'PUT', body: bytes, headers: { 'Content-Type': mediaType } });
  if (res.status !== 201) throw new Error(`manifest ${repo}:${ref}: ${res.status} ${await res.text()}`);
  return res.headers;
}

/** The referrers of `digest` of the bundle type: the referrers API, else the tag scheme's index. */
export async function bundleReferrers(host: string, repo: string, digest: string): Promise<{ digest: string }[]> {
  const res = await fetch(`http://${host}/v2/${repo}/referrers/${digest}`);
  const index = res.status === 200 ? Buffer.from(await res.arrayBuffer()) : (await getManifest(host, repo, digest.replace(':', '-'))).bytes;
  const parsed = JSON.parse(index.toString()) as { manifests?: { digest: string; artifactType?: string }[] };
  return (parsed.manifests ?? []).filter((m) => m.artifactType === BUNDLE_TYPE);
}

/** Attaches `bundle` to `subject` as cosign does; the tag scheme's index too when the registry ignores `subject`. */
export async function attachBundle(host: string, repo: string, subject: Fetched, bundle: Buffer): Promise<string> {
  const bundleDigest = await putBlob(host, repo, bundle);
  const config = await putBlob(host, repo, Buffer.from('{}'));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: OCI_MANIFEST, artifactType: BUNDLE_TYPE,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: config, size: 2 },
    layers: [{ mediaType: BUNDLE_TYPE, digest: bundleDigest, size: bundle.length }],
    subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.bytes.length },
  }));
  const digest = sha256(manifest);
  const headers = await putManifest(host, repo, digest, OCI_MANIFEST, manifest);
  if (headers.get('oci-subject') === null) {
    const tag = subject.digest.replace(':', '-');
    const old = await getManifest(host, repo, tag);
    const entries = old.status === 200 ? (JSON.parse(old.bytes.toString()) as { manifests: object[] }).manifests : [];
    const index = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [...entries, { mediaType: OCI_MANIFEST, digest, size: manifest.length, artifactType: BUNDLE_TYPE }] };
    await putManifest(host, repo, tag, OCI_INDEX, Buffer.from(JSON.stringify(index)));
  }
  return digest;
}

/** A P-256 key pair of the test's own, its public half written as `file` (cosign.pub's format). */
export async function testKey(file: string): Promise<{ privateKey: KeyObject; publicKey: KeyObject; hint: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await writeFile(file, publicKey.export({ format: 'pem', type: 'spki' }));
  return { privateKey, publicKey, hint: createHash('sha256').update(publicKey.export({ format: 'der', type: 'spki' })).digest('hex') };
}

/** An in-toto statement of cosign's image signature predicate about `digest`. */
export function signStatement(repository: string, digest: string): Buffer {
  return Buffer.from(JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1', subject: [{ name: repository, digest: { sha256: digest.slice(7) } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1', predicate: {},
  }));
}

/** A bundle made by @sigstore/sign (DSSE, public-key material, no transparency log) over `statement`. */
export async function sigstoreBundle(key: { privateKey: KeyObject; publicKey: KeyObject; hint: string }, statement: Buffer): Promise<Record<string, unknown>> {
  const builder = new DSSEBundleBuilder({
    witnesses: [],
    signer: {
      sign: (data) => Promise.resolve({
        signature: cryptoSign('sha256', data, key.privateKey),
        key: { $case: 'publicKey', publicKey: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(), hint: key.hint },
      }),
    },
  });
  const json: Record<string, unknown> = { ...bundleToJSON(await builder.create({ data: statement, type: 'application/vnd.in-toto+json' })) };
  return json;
}

/** Writes a classic signature manifest (`sha256-<hex>.sig`) of one layer, as cosign does. */
export async function plantClassic(host: string, repo: string, digest: string, payload: Buffer, signature: string, keyId?: string): Promise<void> {
  const payloadDigest = await putBlob(host, repo, payload);
  const config = Buffer.from(JSON.stringify({ architecture: '', os: '', rootfs: { type: 'layers', diff_ids: [payloadDigest] }, config: {} }));
  const configDigest = await putBlob(host, repo, config);
  const manifest = {
    schemaVersion: 2, mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: [{
      mediaType: SIMPLE_SIGNING, digest: payloadDigest, size: payload.length,
      annotations: { 'dev.cosignproject.cosign/signature': signature, ...(keyId !== undefined && { 'dev.berth.signature/key-id': keyId }) },
    }],
  };
  await putManifest(host, repo, `${digest.replace(':', '-')}.sig`, OCI_MANIFEST, Buffer.from(JSON.stringify(manifest)));
}
