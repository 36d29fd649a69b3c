// Bearer tokens (the CNCF registry in `auth: token` mode with a token server of the test's own),
// anonymous and with credentials; and platform selection from an index with two platforms.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '../../../src/base/digest.js';
import { isBerthError } from '../../../src/base/errors.js';
import { putManifest, uploadBlob } from '../../../src/images/distribution/registry-api.js';
import { RegistryClient } from '../../../src/images/distribution/registry-client.js';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { MediaType } from '../../../src/oci/media-types.js';
import { hostPlatform } from '../../../src/oci/platform.js';
import { needsRoot } from '../../support/berth-cli.js';
import { CncfRegistry, needsRegistry } from '../../support/cncf-registry.js';
import { RegistryTokenServer } from '../../support/registry-token-server.js';
import { Readable } from 'node:stream';

describe('bearer tokens and platform selection', { skip: needsRoot() || needsRegistry() }, () => {
  let work: string;
  let source: ImageService;
  let busyboxId: string;
  let tokens: RegistryTokenServer;
  let registry: CncfRegistry;
  const user = { username: 'token-user', password: 'pa:ss' };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-token-'));
    tokens = await RegistryTokenServer.start(user);
    registry = await CncfRegistry.start({ token: tokens.config });
    source = await openImageNode(join(work, 'source'));
    busyboxId = (await source.bootstrap('busybox')).id;
  });
  after(async () => {
    await source.close();
    await registry.stop();
    await tokens.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('push with credentials gets a pull,push token; anonymous pull gets a pull token; anonymous push and wrong passwords fail', async () => {
    const name = `${registry.host}/library/busybox:latest`;
    source.tag('busybox', name);
    await assert.rejects(source.push(name), (err) => isBerthError(err, 'unauthenticated'));
    await assert.rejects(source.push(name, { credentials: { username: user.username, password: 'wrong' } }),
      (err) => isBerthError(err, 'unauthenticated') && /incorrect username or password/.test(err.message));
    await source.push(name, { credentials: user });
    assert.ok(tokens.requests.some((r) => r.user === user.username && r.scopes.includes('repository:library/busybox:pull,push')));

    const target = await openImageNode(join(work, 'anonymous'));
    try {
      assert.equal((await target.pull(name)).image.id, busyboxId);
    } finally {
      await target.close();
    }
    assert.ok(tokens.requests.some((r) => r.user === undefined && r.scopes.includes('repository:library/busybox:pull')));

    await new RegistryClient(registry.host, { credentials: user }).checkCredentials();
    await assert.rejects(new RegistryClient(registry.host, { credentials: { ...user, password: 'x' } }).checkCredentials(), (err) => isBerthError(err, 'unauthenticated'));
  });

  test('an index with two platforms: --platform picks, the default is this machine, a missing one is not-found', async () => {
    const repo = 'multi/busybox';
    const client = new RegistryClient(registry.host, { credentials: user });
    const image = source.resolve('busybox');
    const hostManifest = await source.content.readBytes(image.manifestDigest);
    const config = JSON.parse((await source.content.readBytes(image.id)).toString()) as Record<string, unknown>;
    const host = hostPlatform();
    const other = host.architecture === 'amd64' ? { os: 'linux', architecture: 'arm64', variant: 'v8' } : { os: 'linux', architecture: 'amd64' };
    const otherConfig = Buffer.from(JSON.stringify({ ...config, architecture: other.architecture, ...('variant' in other && { variant: other.variant }) }));
    const manifest = JSON.parse(hostManifest.toString()) as { config: { digest: string; size: number; mediaType: string }; layers: { digest: string; size: number }[] };
    // Every blob: the host image's layers and config, and the other platform's config.
    source.tag('busybox', `${registry.host}/${repo}:host`);
    await source.push(`${registry.host}/${repo}:host`, { credentials: user });
    await uploadBlob(client, repo, { digest: digestOf(otherConfig), size: otherConfig.length, open: () => Readable.from([otherConfig]) });
    const otherManifest = Buffer.from(JSON.stringify({ ...manifest, config: { ...manifest.config, digest: digestOf(otherConfig), size: otherConfig.length } }));
    await putManifest(client, repo, digestOf(otherManifest), image.manifestMediaType, otherManifest);
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: MediaType.ociIndex,
      manifests: [
        { mediaType: image.manifestMediaType, digest: image.manifestDigest, size: hostManifest.length, platform: host },
        { mediaType: image.manifestMediaType, digest: digestOf(otherManifest), size: otherManifest.length, platform: other },
      ],
    }));
    await putManifest(client, repo, 'multi', MediaType.ociIndex, index);

    const target = await openImageNode(join(work, 'platforms'));
    try {
      const picked = await target.pull(`${registry.host}/${repo}:multi`, { platform: other });
      assert.equal(picked.image.id, digestOf(otherConfig));
      assert.equal(picked.image.architecture, other.architecture);
      assert.equal(picked.image.indexDigest, digestOf(index));
      assert.equal(picked.digest, digestOf(index));
      const native = await target.pull(`${registry.host}/${repo}:multi`);
      assert.equal(native.image.id, busyboxId);
      assert.equal(native.image.architecture, host.architecture);
      await assert.rejects(target.pull(`${registry.host}/${repo}:multi`, { platform: { os: 'linux', architecture: 's390x' } }),
        (err) => isBerthError(err, 'not-found') && /no matching manifest for linux\/s390x/.test(err.message));
    } finally {
      await target.close();
    }
  });
});
