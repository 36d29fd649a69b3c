import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, errorCode, OCI_INDEX, pushBlob, pushImageBlobs, putManifest, sha256, startTestRegistry, type TestRegistry } from './registry-fixture.js';

describe('registry manifests, tags, catalog and referrers', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry();
  });
  after(async () => {
    await registry.stop();
  });

  test('push by tag, get by tag and digest, HEAD, delete', async () => {
    const image = await pushImageBlobs(registry, 'm/app', 'one');
    const put = await putManifest(registry, 'm/app', 'v1', image.manifest);
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('docker-content-digest'), image.digest);
    assert.equal(put.headers.get('location'), `/v2/m/app/manifests/${image.digest}`);
    for (const ref of ['v1', image.digest]) {
      const get = await call(registry, 'GET', `/v2/m/app/manifests/${ref}`);
      assert.equal(get.status, 200);
      assert.equal(get.headers.get('content-type'), 'application/vnd.oci.image.manifest.v1+json');
      assert.equal(get.headers.get('docker-content-digest'), image.digest);
      assert.deepEqual(Buffer.from(await get.arrayBuffer()), image.manifest);
    }
    const head = await call(registry, 'HEAD', '/v2/m/app/manifests/v1');
    assert.equal(head.headers.get('content-length'), String(image.manifest.length));
    assert.equal((await call(registry, 'DELETE', '/v2/m/app/manifests/v1')).status, 202, 'tag deletion');
    assert.equal((await call(registry, 'GET', '/v2/m/app/manifests/v1')).status, 404);
    assert.equal((await call(registry, 'GET', `/v2/m/app/manifests/${image.digest}`)).status, 200, 'the manifest outlives its tag');
    assert.equal((await call(registry, 'DELETE', `/v2/m/app/manifests/${image.digest}`)).status, 202);
    const gone = await call(registry, 'GET', `/v2/m/app/manifests/${image.digest}`);
    assert.equal(await errorCode(gone), 'MANIFEST_UNKNOWN');
  });

  test('a manifest whose blobs are missing is MANIFEST_BLOB_UNKNOWN; a bad one MANIFEST_INVALID', async () => {
    const image = await pushImageBlobs(registry, 'm/other', 'two');
    const elsewhere = await putManifest(registry, 'm/empty', 'v1', image.manifest);
    assert.equal(await errorCode(elsewhere), 'MANIFEST_BLOB_UNKNOWN');
    assert.equal((await call(registry, 'GET', '/v2/m/empty/manifests/v1')).status, 404);
    const invalid = await putManifest(registry, 'm/other', 'v1', Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}'));
    assert.equal(invalid.status, 400);
    assert.equal(await errorCode(invalid), 'MANIFEST_INVALID');
    const mismatch = await putManifest(registry, 'm/other', sha256('x'), image.manifest);
    assert.equal(await errorCode(mismatch), 'DIGEST_INVALID');
    const tag = await putManifest(registry, 'm/other', 'bad+tag', image.manifest);
    assert.equal(tag.status, 400);
  });

  test('Docker media types and indexes (children must exist first)', async () => {
    const a = await pushImageBlobs(registry, 'm/multi', 'amd');
    const dockerManifest = Buffer.from(a.manifest.toString().replace('application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'));
    const docker = await putManifest(registry, 'm/multi', sha256(dockerManifest), dockerManifest, 'application/vnd.docker.distribution.manifest.v2+json');
    assert.equal(docker.status, 201);
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: sha256(dockerManifest), size: dockerManifest.length, platform: { os: 'linux', architecture: 'amd64' } }] }));
    const ok = await putManifest(registry, 'm/multi', 'latest', index, OCI_INDEX);
    assert.equal(ok.status, 201);
    const get = await call(registry, 'GET', '/v2/m/multi/manifests/latest');
    assert.equal(get.headers.get('content-type'), OCI_INDEX);
    const orphan = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha256('none'), size: 4 }] }));
    assert.equal(await errorCode(await putManifest(registry, 'm/multi', 'broken', orphan, OCI_INDEX)), 'MANIFEST_BLOB_UNKNOWN');
    const typeMismatch = await putManifest(registry, 'm/multi', 'mixed', index, 'application/vnd.oci.image.manifest.v1+json');
    assert.equal(await errorCode(typeMismatch), 'MANIFEST_INVALID');
  });

  test('subject: OCI-Subject on push, referrers with artifactType filtering', async () => {
    const image = await pushImageBlobs(registry, 'm/signed', 'base');
    await putManifest(registry, 'm/signed', 'v1', image.manifest);
    const emptyConfig = await pushBlob(registry, 'm/signed', '{}');
    const referrer = (artifactType: string, seed: string): Buffer => Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyConfig, size: 2 },
      layers: [], subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.digest, size: image.manifest.length },
      annotations: { seed },
    }));
    const signature = referrer('application/vnd.example.signature', 's');
    const sbom = referrer('application/vnd.example.sbom', 'b');
    const put = await putManifest(registry, 'm/signed', sha256(signature), signature);
    assert.equal(put.status, 201);
    assert.equal(put.headers.get('oci-subject'), image.digest);
    await putManifest(registry, 'm/signed', sha256(sbom), sbom);
    const all = await call(registry, 'GET', `/v2/m/signed/referrers/${image.digest}`);
    assert.equal(all.status, 200);
    assert.equal(all.headers.get('content-type'), OCI_INDEX);
    const listed = (await all.json()) as { manifests: { digest: string; artifactType: string; annotations: Record<string, string> }[] };
    assert.deepEqual(listed.manifests.map((m) => m.digest).sort(), [sha256(signature), sha256(sbom)].sort());
    const filtered = await call(registry, 'GET', `/v2/m/signed/referrers/${image.digest}?artifactType=application/vnd.example.sbom`);
    assert.equal(filtered.headers.get('oci-filters-applied'), 'artifactType');
    const only = (await filtered.json()) as { manifests: { digest: string; annotations: Record<string, string> }[] };
    assert.deepEqual(only.manifests.map((m) => m.digest), [sha256(sbom)]);
    assert.deepEqual(only.manifests[0]?.annotations, { seed: 'b' });
    const none = (await (await call(registry, 'GET', `/v2/m/signed/referrers/${sha256('nothing')}`)).json()) as { manifests: unknown[] };
    assert.deepEqual(none.manifests, []);
  });

  test('tags list with n/last pagination and a Link header; catalog', async () => {
    const image = await pushImageBlobs(registry, 'm/tags', 'tags');
    for (const tag of ['c', 'a', 'e', 'b', 'd']) assert.equal((await putManifest(registry, 'm/tags', tag, image.manifest)).status, 201);
    const all = (await (await call(registry, 'GET', '/v2/m/tags/tags/list')).json()) as { name: string; tags: string[] };
    assert.deepEqual(all, { name: 'm/tags', tags: ['a', 'b', 'c', 'd', 'e'] });
    const page = await call(registry, 'GET', '/v2/m/tags/tags/list?n=2');
    assert.deepEqual(((await page.json()) as { tags: string[] }).tags, ['a', 'b']);
    assert.equal(page.headers.get('link'), '</v2/m/tags/tags/list?n=2&last=b>; rel="next"');
    const next = (await (await call(registry, 'GET', '/v2/m/tags/tags/list?n=2&last=b')).json()) as { tags: string[] };
    assert.deepEqual(next.tags, ['c', 'd']);
    const last = await call(registry, 'GET', '/v2/m/tags/tags/list?n=2&last=d');
    assert.deepEqual(((await last.json()) as { tags: string[] }).tags, ['e']);
    assert.equal(last.headers.get('link'), null);
    assert.equal(await errorCode(await call(registry, 'GET', '/v2/m/nothing/tags/list')), 'NAME_UNKNOWN');
    const catalog = (await (await call(registry, 'GET', '/v2/_catalog')).json()) as { repositories: string[] };
    assert.ok(catalog.repositories.includes('m/tags'));
    assert.deepEqual(catalog.repositories, [...catalog.repositories].sort());
    const one = await call(registry, 'GET', '/v2/_catalog?n=1');
    assert.equal(((await one.json()) as { repositories: string[] }).repositories.length, 1);
    assert.match(one.headers.get('link') ?? '', /rel="next"/);
  });

  test('/healthz and /metrics', async () => {
    assert.equal((await call(registry, 'GET', '/healthz')).status, 200);
    const metrics = await (await call(registry, 'GET', '/metrics')).text();
    assert.match(metrics, /berth_registry_http_requests_total\{method="PUT",family="manifest",status="201"\} \d+/);
  });
});
