// berthd's `push` to berth's own registry (on 127.0.0.1) cut short by a daemon crash: between
// blob uploads (failpoint `push-after-blob`) and with every blob up but before the manifest
// (`push-before-manifest`, with layers recompressed to zstd in a scratch directory). The registry
// shows no tag and no manifest of the push, the local image is as it was (no repo digest), and
// the next berthd leaves no scratch directory, temp file or lease; the push, redone, completes
// and the registry serves what it says. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startRegistryServer, type RunningRegistry } from '../../../src/registry/registry-server.js';
import { berthOk, needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftovers, NOTHING } from '../../support/crash-leftovers.js';
import { makeTar, writeOciLayout, type FixtureEntry } from '../../support/oci-fixtures.js';

function files(prefix: string, count: number): FixtureEntry[] {
  return [{ name: `${prefix}/`, type: 'directory' }, ...Array.from({ length: count }, (_, i) => ({ name: `${prefix}/f${i}`, content: `${prefix} ${i} `.repeat(400) }))];
}

interface InspectedImage {
  RepoDigests: string[];
}

describe('push and a daemon crash', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  let registry: RunningRegistry;
  let host: string;
  before(async () => {
    lab = await CrashLab.create('berth-push-crash-');
    registry = await startRegistryServer({ root: join(lab.work, 'registry'), addr: '127.0.0.1:0', gcIntervalMs: 0 });
    host = new URL(registry.url).host;
    const layout = join(lab.work, 'layout');
    await writeOciLayout(layout, [{
      name: 'example.com/crash/app:1',
      layers: [
        { tar: await makeTar(files('one', 300)), compression: 'gzip' },
        { tar: await makeTar(files('two', 300)) },
        { tar: await makeTar(files('three', 300)), compression: 'gzip' },
      ],
    }]);
    await berthOk(lab.root, ['load', '-i', layout]);
  });
  after(async () => {
    try {
      await registry.close();
    } finally {
      await lab.close();
    }
  });

  /** What `images -a` lists: ids, names and repo digests. */
  const listed = async (): Promise<unknown> => (JSON.parse(await lab.ok(['images', '-a', '--format', 'json'])) as { Id: string; RepoTags: string[]; RepoDigests: string[] }[])
    .map(({ Id, RepoTags, RepoDigests }) => ({ Id, RepoTags, RepoDigests }));
  /** The image's repo digests in `repository` (the image is pushed to one repository per test). */
  const repoDigests = async (ref: string, repository: string): Promise<string[]> => {
    const [inspected] = JSON.parse(await lab.ok(['image', 'inspect', ref])) as InspectedImage[];
    return (inspected?.RepoDigests ?? []).filter((d) => d.startsWith(`${host}/${repository}@`));
  };

  for (const { point, compression } of [{ point: 'push-after-blob', compression: [] }, { point: 'push-before-manifest', compression: ['--compression', 'zstd'] }]) {
    test(`killed at ${point}: no tag in the registry, the image as it was; the push, redone, completes`, async () => {
      await lab.daemon?.stop();
      await lab.start(point);
      const repository = `crash/${point}`;
      const name = `${host}/${repository}:1`;
      await lab.ok(['tag', 'example.com/crash/app:1', name]);
      const images = await listed();

      const push = await lab.cli(['push', ...compression, name]);
      assert.notEqual(push.code, 0, 'berthd died under the push');
      await lab.crash();
      if (compression.length > 0) assert.ok((await readdir(join(lab.root, 'tmp'))).some((n) => n.startsWith('recompress-')), 'the crash left the scratch directory');

      await lab.start();
      assert.equal((await fetch(`${registry.url}/v2/${repository}/manifests/1`)).status, 404, 'no tag');
      const tags = await fetch(`${registry.url}/v2/${repository}/tags/list`);
      assert.ok(tags.status === 404 || ((await tags.json()) as { tags?: string[] | null }).tags?.includes('1') !== true, 'no tag listed');
      assert.deepEqual(await listed(), images);
      assert.deepEqual(await repoDigests(name, repository), [], 'no repo digest for a push that did not happen');
      assert.deepEqual(await leftovers(lab), NOTHING);

      const pushed = await lab.ok(['push', ...compression, name]);
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1] ?? '';
      assert.match(digest, /^sha256:/, pushed);
      const manifest = await fetch(`${registry.url}/v2/${repository}/manifests/1`, { headers: { accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' } });
      assert.equal(manifest.status, 200);
      assert.equal(manifest.headers.get('docker-content-digest'), digest);
      const { layers } = (await manifest.json()) as { layers: { digest: string }[] };
      assert.equal(layers.length, 3);
      for (const layer of layers) assert.equal((await fetch(`${registry.url}/v2/${repository}/blobs/${layer.digest}`, { method: 'HEAD' })).status, 200);
      assert.deepEqual(await repoDigests(name, repository), [`${host}/${repository}@${digest}`]);
      assert.deepEqual(await leftovers(lab), NOTHING);
    });
  }
});
