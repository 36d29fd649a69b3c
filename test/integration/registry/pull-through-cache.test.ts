// Pull-through cache: a second berth registry on 127.0.0.1 (token auth, as public registries use)
// is the upstream; the cache serves it under a prefix, keeps what it fetched, re-resolves tags
// after the TTL, and serves its copy while the upstream is down.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { call, errorCode, pushImageBlobs, putManifest, sha256, startTestRegistry, type TestRegistry } from './registry-fixture.js';

const runner = new ChildProcessRunner();

describe('pull-through cache', () => {
  let dir: string;
  let upstream: TestRegistry;
  let cache: TestRegistry;
  let auth: Record<string, string>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-registry-cache-'));
    await writeFile(join(dir, 'htpasswd'), `mirror:${bcrypt.hashSync('mirror-pw', 4)}\n`);
    upstream = await startTestRegistry({ htpasswd: join(dir, 'htpasswd'), auth: 'token' });
    const token = (await (await call(upstream, 'GET', '/token?service=berth-registry&scope=repository:library/app:pull,push', {
      headers: { authorization: `Basic ${Buffer.from('mirror:mirror-pw').toString('base64')}` },
    })).json()) as { token: string };
    auth = { authorization: `Bearer ${token.token}` };
    await writeFile(join(dir, 'proxy.json'), JSON.stringify([{ prefix: 'hub', url: upstream.url, username: 'mirror', password: 'mirror-pw', ttlSeconds: 60 }]));
    cache = await startTestRegistry({ proxyConfig: join(dir, 'proxy.json') });
  });
  after(async () => {
    await cache.stop();
    await upstream.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('fetches through, honours the TTL of tags, and keeps serving without the upstream', async () => {
    const first = await pushImageBlobs(upstream, 'library/app', 'first', {}, auth);
    assert.equal((await putManifest(upstream, 'library/app', 'v1', first.manifest, undefined, auth)).status, 201);

    const manifest = await call(cache, 'GET', '/v2/hub/library/app/manifests/v1');
    assert.equal(manifest.status, 200);
    assert.equal(manifest.headers.get('docker-content-digest'), first.digest);
    assert.deepEqual(Buffer.from(await manifest.arrayBuffer()), first.manifest);
    for (const blob of first.blobs) {
      const response = await call(cache, 'GET', `/v2/hub/library/app/blobs/${blob}`);
      assert.equal(response.status, 200);
      assert.equal(sha256(Buffer.from(await response.arrayBuffer())), blob);
      assert.ok(existsSync(cache.storage.content.path(blob as Parameters<typeof cache.storage.content.path>[0])), 'kept in the cache');
    }
    assert.equal(await errorCode(await call(cache, 'GET', '/v2/hub/library/none/manifests/v1')), 'MANIFEST_UNKNOWN');

    const second = await pushImageBlobs(upstream, 'library/app', 'second', {}, auth);
    assert.equal((await putManifest(upstream, 'library/app', 'v1', second.manifest, undefined, auth)).status, 201);
    const cached = await call(cache, 'HEAD', '/v2/hub/library/app/manifests/v1');
    assert.equal(cached.headers.get('docker-content-digest'), first.digest, 'within the TTL the cached answer stands');
    cache.clock.advance(61_000);
    const refreshed = await call(cache, 'HEAD', '/v2/hub/library/app/manifests/v1');
    assert.equal(refreshed.headers.get('docker-content-digest'), second.digest, 'after the TTL the upstream is asked again');

    const refused = await call(cache, 'POST', '/v2/hub/library/app/blobs/uploads/');
    assert.equal(refused.status, 405);
    assert.equal(await errorCode(refused), 'UNSUPPORTED');

    await upstream.close();
    cache.clock.advance(61_000);
    const offline = await call(cache, 'GET', '/v2/hub/library/app/manifests/v1');
    assert.equal(offline.status, 200, 'the cached tag is served while the upstream is down');
    assert.equal(offline.headers.get('docker-content-digest'), second.digest);
    assert.equal((await call(cache, 'GET', `/v2/hub/library/app/manifests/${first.digest}`)).status, 200);
    const tags = (await (await call(cache, 'GET', '/v2/hub/library/app/tags/list')).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ['v1']);
  });

  test('skopeo pulls through the cache', { skip: existsSync('/usr/bin/skopeo') ? false : 'needs skopeo' }, async () => {
    const up = await startTestRegistry();
    const proxy = join(dir, 'proxy2.json');
    await writeFile(proxy, JSON.stringify([{ prefix: 'mirror', url: up.url }]));
    const mirror = await startTestRegistry({ proxyConfig: proxy });
    try {
      const image = await pushImageBlobs(up, 'tools/img', 'skopeo');
      assert.equal((await putManifest(up, 'tools/img', 'latest', image.manifest)).status, 201);
      await runner.run('skopeo', ['copy', '--src-tls-verify=false', `docker://${mirror.url.replace('http://', '')}/mirror/tools/img:latest`, `oci:${join(dir, 'out')}:latest`]);
      const files = await readdir(join(dir, 'out', 'blobs', 'sha256'));
      // skopeo recompresses the plain tar layer for the OCI layout; the config comes as it is.
      assert.ok(files.includes((image.blobs[0] ?? '').slice('sha256:'.length)));
      assert.equal(files.length, 3);
    } finally {
      await mirror.stop();
      await up.stop();
    }
  });
});
