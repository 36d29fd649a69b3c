// Online garbage collection: collections run over and over while clients push images that reuse
// old, unreferenced layers; nothing a tag, a just-pushed manifest or a pending push refers to is
// deleted, and what nothing refers to any more goes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runBerth } from '../../support/berth-cli.js';
import { eventually } from '../runtime/runtime-fixtures.js';
import { call, errorCode, pushBlob, pushImageBlobs, putManifest, sha256, startTestRegistry, type TestRegistry } from './registry-fixture.js';

const HOUR = 3600_000;

/** Like a client: HEAD each blob, push only the missing ones, then the manifest. */
async function pushImageReusing(registry: TestRegistry, repo: string, tag: string, reused: { data: Buffer; digest: string }, seed: string): Promise<{ digest: string; blobs: string[] }> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, seed }));
  const own = Buffer.from(`own layer ${seed} `.repeat(200));
  const blobs: [Buffer, string][] = [[config, sha256(config)], [reused.data, reused.digest], [own, sha256(own)]];
  for (const [data, digest] of blobs) {
    const head = await call(registry, 'HEAD', `/v2/${repo}/blobs/${digest}`);
    if (head.status !== 200) await pushBlob(registry, repo, data);
  }
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
    layers: [reused, { data: own, digest: sha256(own) }].map((layer) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer.digest, size: layer.data.length })),
  }));
  const put = await putManifest(registry, repo, tag, manifest);
  assert.equal(put.status, 201, `${repo}:${tag}: ${await put.text()}`);
  return { digest: sha256(manifest), blobs: blobs.map(([, digest]) => digest) };
}

async function assertWhole(registry: TestRegistry, repo: string, reference: string, blobs: string[]): Promise<void> {
  assert.equal((await call(registry, 'GET', `/v2/${repo}/manifests/${reference}`)).status, 200, `${repo}@${reference}`);
  for (const blob of blobs) {
    const response = await call(registry, 'GET', `/v2/${repo}/blobs/${blob}`);
    assert.equal(response.status, 200, `${repo} blob ${blob}`);
    assert.equal(sha256(Buffer.from(await response.arrayBuffer())), blob);
  }
}

describe('online garbage collection', () => {
  let registry: TestRegistry;
  before(async () => {
    registry = await startTestRegistry({ gcGraceMs: HOUR });
  });
  after(async () => {
    await registry.stop();
  });

  test('collections racing pushes delete nothing referenced, then remove what is not', async () => {
    const kept = await pushImageBlobs(registry, 'gc/kept', 'kept');
    assert.equal((await putManifest(registry, 'gc/kept', 'v1', kept.manifest)).status, 201);
    const dropped = await pushImageBlobs(registry, 'gc/dropped', 'dropped');
    assert.equal((await putManifest(registry, 'gc/dropped', 'v1', dropped.manifest)).status, 201);
    assert.equal((await call(registry, 'DELETE', `/v2/gc/dropped/manifests/${dropped.digest}`)).status, 202);
    const sharedData = Buffer.from('an old layer nobody references any more '.repeat(300));
    const shared = { data: sharedData, digest: await pushBlob(registry, 'gc/dropped', sharedData) };
    const orphan = await pushBlob(registry, 'gc/orphan', 'an orphan blob');
    const young = await pushImageBlobs(registry, 'gc/young', 'young');
    assert.equal((await putManifest(registry, 'gc/young', young.digest, young.manifest)).status, 201, 'untagged, pushed by digest');
    assert.deepEqual(await registry.storage.collector.collect(), { manifestsRemoved: 0, blobLinksRemoved: 0, blobsRemoved: 1, bytesFreed: dropped.manifest.length },
      'within the grace only the bytes of the deleted manifest go');

    registry.clock.advance(2 * HOUR);
    const run = { stop: false };
    let collections = 0;
    const collector = (async () => {
      while (!run.stop) {
        await registry.storage.collector.collect();
        collections++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const pushes = await Promise.all(Array.from({ length: 8 }, (_, i) => pushImageReusing(registry, `gc/new${i % 3}`, `t${i}`, shared, `new ${i}`).then((pushed) => ({ ...pushed, repo: `gc/new${i % 3}`, tag: `t${i}` }))));
    run.stop = true;
    await collector;
    assert.ok(collections > 1, 'collections ran during the pushes');
    for (const pushed of pushes) await assertWhole(registry, pushed.repo, pushed.tag, pushed.blobs);

    await registry.storage.collector.collect();
    for (const pushed of pushes) await assertWhole(registry, pushed.repo, pushed.tag, pushed.blobs);
    await assertWhole(registry, 'gc/kept', 'v1', kept.blobs);
    assert.equal(await errorCode(await call(registry, 'GET', `/v2/gc/young/manifests/${young.digest}`)), 'MANIFEST_UNKNOWN', 'an untagged manifest past the grace goes');
    for (const blob of [...dropped.blobs, orphan, ...young.blobs]) {
      assert.ok(!existsSync(registry.storage.content.path(blob as Parameters<typeof registry.storage.content.path>[0])), `${blob} deleted`);
    }
    assert.equal((await call(registry, 'HEAD', `/v2/gc/dropped/blobs/${shared.digest}`)).status, 404, 'the old repository lost its unreferenced link');
    assert.equal((await call(registry, 'HEAD', `/v2/gc/new0/blobs/${shared.digest}`)).status, 200, 'the reused layer stays where it is referenced');
  });

  test('an index keeps its children, and a subject keeps its referrers', async () => {
    const child = await pushImageBlobs(registry, 'gc/index', 'child');
    assert.equal((await putManifest(registry, 'gc/index', child.digest, child.manifest)).status, 201);
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: child.digest, size: child.manifest.length }] }));
    assert.equal((await putManifest(registry, 'gc/index', 'multi', index, 'application/vnd.oci.image.index.v1+json')).status, 201);
    const emptyConfig = await pushBlob(registry, 'gc/index', '{}');
    const signature = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.example.sig', config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyConfig, size: 2 }, layers: [], subject: { mediaType: 'application/vnd.oci.image.index.v1+json', digest: sha256(index), size: index.length } }));
    assert.equal((await putManifest(registry, 'gc/index', sha256(signature), signature)).status, 201);
    registry.clock.advance(2 * HOUR);
    await registry.storage.collector.collect();
    await assertWhole(registry, 'gc/index', child.digest, child.blobs);
    await assertWhole(registry, 'gc/index', sha256(signature), [emptyConfig]);
  });

  test('each periodic collection logs what it removed', async () => {
    const lines: string[] = [];
    const other = await startTestRegistry({ gcIntervalMs: 10, gcGraceMs: HOUR, log: (line) => lines.push(line) });
    try {
      const drop = await pushImageBlobs(other, 'log/drop', 'drop');
      assert.equal((await putManifest(other, 'log/drop', 'v1', drop.manifest)).status, 201);
      assert.equal((await call(other, 'DELETE', '/v2/log/drop/manifests/v1')).status, 202);
      other.clock.advance(2 * HOUR);
      await eventually('a collection that removed the manifest', () => lines.some((line) => /removed 1 manifests, 2 blob links, 3 blobs \(\d+(\.\d+)?k?B\)/.test(line)));
      assert.ok(lines.every((line) => /^registry: garbage collection removed \d+ manifests, \d+ blob links, \d+ blobs \(.+\) in \d+ ms$/.test(line)), lines.join('\n'));
    } finally {
      await other.stop();
    }
  });

  test('`berth registry gc` collects from another process while the server keeps serving', async () => {
    const other = await startTestRegistry();
    try {
      const keep = await pushImageBlobs(other, 'cli/keep', 'keep');
      assert.equal((await putManifest(other, 'cli/keep', 'v1', keep.manifest)).status, 201);
      const drop = await pushImageBlobs(other, 'cli/drop', 'drop');
      assert.equal((await putManifest(other, 'cli/drop', 'v1', drop.manifest)).status, 201);
      assert.equal((await call(other, 'DELETE', '/v2/cli/drop/manifests/v1')).status, 202);
      const result = await runBerth(['registry', 'gc', '--root', other.storage.paths.root, '--gc-grace', '0s', '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const counts = JSON.parse(result.stdout) as { manifestsRemoved: number; blobsRemoved: number };
      assert.deepEqual([counts.manifestsRemoved, counts.blobsRemoved], [1, 3]);
      await assertWhole(other, 'cli/keep', 'v1', keep.blobs);
      assert.equal((await call(other, 'GET', `/v2/cli/drop/manifests/${drop.digest}`)).status, 404);
      assert.equal((await call(other, 'GET', `/v2/cli/drop/blobs/${drop.blobs[0] ?? ''}`)).status, 404);
    } finally {
      await other.stop();
    }
  });
});
