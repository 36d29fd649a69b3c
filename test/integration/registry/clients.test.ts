// Real clients against berth's registry: skopeo (OCI layout in and out, Docker schema 2 too) and
// the docker CLI through a private dockerd (127.0.0.0/8 registries are insecure by default).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { buildBusyboxRootfs } from '../../../src/images/bootstrap/busybox-rootfs.js';
import { berthOk, inspectImage } from '../../support/berth-cli.js';
import { makeTar, writeOciLayout } from '../../support/oci-fixtures.js';
import { PrivateDockerd } from '../../support/private-dockerd.js';
import { call, startTestRegistry, type TestRegistry } from './registry-fixture.js';

const runner = new ChildProcessRunner();
const skopeoSkip = existsSync('/usr/bin/skopeo') ? false : 'needs skopeo';
const dockerSkip = process.getuid?.() !== 0 ? 'needs root (dockerd)' : !existsSync('/usr/sbin/dockerd') ? 'needs dockerd (docker.io)' : false;

describe('skopeo copies images to and from the registry', { skip: skopeoSkip }, () => {
  let registry: TestRegistry;
  let work: string;
  before(async () => {
    registry = await startTestRegistry();
    work = await mkdtemp(join(tmpdir(), 'berth-registry-skopeo-'));
  });
  after(async () => {
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('OCI layout → registry → OCI layout keeps every blob; Docker schema 2 conversion too', async () => {
    const layout = join(work, 'layout');
    const tar = await makeTar([{ name: 'etc/', type: 'directory' }, { name: 'etc/greeting', content: 'hello from berth\n' }, { name: 'big', content: 'z'.repeat(2_000_000) }]);
    await writeOciLayout(layout, [{ name: 'example.com/skopeo:1', layers: [{ tar, compression: 'gzip' }, { tar: await makeTar([{ name: 'second', content: '2' }]), compression: 'gzip' }] }]);
    const host = registry.url.replace('http://', '');
    await runner.run('skopeo', ['copy', '--dest-tls-verify=false', `oci:${layout}`, `docker://${host}/team/skopeo:1`]);
    await runner.run('skopeo', ['copy', '--src-tls-verify=false', `docker://${host}/team/skopeo:1`, `oci:${join(work, 'back')}:1`]);
    const sent = (await readdir(join(layout, 'blobs', 'sha256'))).sort();
    const received = (await readdir(join(work, 'back', 'blobs', 'sha256'))).sort();
    assert.deepEqual(received, sent, 'the same manifest, config and layers came back');
    await runner.run('skopeo', ['copy', '--dest-tls-verify=false', '--format', 'v2s2', `oci:${layout}`, `docker://${host}/team/docker-format:1`]);
    const manifest = await call(registry, 'GET', '/v2/team/docker-format/manifests/1');
    assert.equal(manifest.headers.get('content-type'), 'application/vnd.docker.distribution.manifest.v2+json');
    const { stdout } = await runner.run('skopeo', ['inspect', '--tls-verify=false', `docker://${host}/team/skopeo:1`]);
    assert.deepEqual((JSON.parse(stdout) as { RepoTags: string[] }).RepoTags, ['1']);
    // A second copy to another repository mounts or re-checks blobs and succeeds.
    await runner.run('skopeo', ['copy', '--src-tls-verify=false', '--dest-tls-verify=false', `docker://${host}/team/skopeo:1`, `docker://${host}/other/skopeo:1`]);
    assert.equal((await call(registry, 'HEAD', '/v2/other/skopeo/manifests/1')).status, 200);
  });
});

describe('docker push and pull through a private dockerd', { skip: dockerSkip }, () => {
  let registry: TestRegistry;
  let daemon: PrivateDockerd | undefined;
  let work: string;
  before(async () => {
    registry = await startTestRegistry();
    work = await mkdtemp(join(tmpdir(), 'berth-registry-docker-'));
    daemon = await PrivateDockerd.start();
  });
  after(async () => {
    await daemon?.stop();
    await registry.stop();
    await rm(work, { recursive: true, force: true });
  });

  test('docker push, remove, docker pull, run', async () => {
    const docker = daemon;
    assert.ok(docker);
    const rootfs = join(work, 'rootfs');
    await buildBusyboxRootfs(rootfs, runner);
    const archive = join(work, 'rootfs.tar');
    await runner.run('tar', ['-C', rootfs, '-cf', archive, '.']);
    const image = `${registry.url.replace('http://', '')}/library/busybox:test`;
    await docker.docker(['import', archive, image]);
    await docker.docker(['push', image]);
    const tags = (await (await call(registry, 'GET', '/v2/library/busybox/tags/list')).json()) as { tags: string[] };
    assert.deepEqual(tags.tags, ['test']);
    const repoDigests = async (): Promise<string[]> => JSON.parse((await docker.docker(['image', 'inspect', '--format', '{{json .RepoDigests}}', image])).stdout) as string[];
    const afterPush = await repoDigests();
    await docker.docker(['rmi', image]);
    await docker.docker(['pull', image]);
    const { stdout } = await docker.docker(['run', '--rm', '--network', 'none', image, '/bin/busybox', 'echo', 'pulled']);
    assert.equal(stdout.trim(), 'pulled');

    // RepoDigests as dockerd records them: the digest pulled by tag, and the digest pushed.
    const afterPull = await repoDigests();
    assert.equal(afterPull.length, 1);
    const root = join(work, 'berth-root');
    await berthOk(root, ['pull', image]);
    assert.deepEqual((await inspectImage(root, image)).RepoDigests, afterPull);
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    const pushedName = `${registry.url.replace('http://', '')}/library/berthbox:1`;
    await berthOk(root, ['tag', 'busybox', pushedName]);
    const pushed = await berthOk(root, ['push', pushedName]);
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1] ?? '';
    assert.deepEqual((await inspectImage(root, pushedName)).RepoDigests, [`${pushedName.replace(/:1$/, '')}@${digest}`]);
    assert.deepEqual(afterPush.map((entry) => entry.replace(/@.*/, '')), [image.replace(/:test$/, '')], 'dockerd records a push the same way');
  });

  test('docker login, push and pull through the token flow; denials', async () => {
    const docker = daemon;
    assert.ok(docker);
    await writeFile(join(work, 'htpasswd'), `alice:${bcrypt.hashSync('alice-pw', 4)}\nbob:${bcrypt.hashSync('bob-pw', 4)}\n`);
    await writeFile(join(work, 'access.json'), JSON.stringify({ rules: [{ accounts: ['alice'], repositories: ['**'], actions: ['*'] }, { accounts: ['bob'], repositories: ['**'], actions: ['pull'] }] }));
    const secured = await startTestRegistry({ htpasswd: join(work, 'htpasswd'), accessConfig: join(work, 'access.json'), auth: 'token' });
    try {
      const host = secured.url.replace('http://', '');
      const source = `${registry.url.replace('http://', '')}/library/busybox:test`;
      const image = `${host}/team/busybox:1`;
      await docker.docker(['tag', source, image]);
      const anonymous = await docker.docker(['push', image]).then(() => 'pushed', (err: unknown) => String(err));
      assert.match(anonymous, /denied|unauthorized|authentication required/i);
      await docker.docker(['login', '-u', 'alice', '--password-stdin', host], 'alice-pw');
      await docker.docker(['push', image]);
      await docker.docker(['logout', host]);
      await docker.docker(['rmi', image]);
      await docker.docker(['login', '-u', 'bob', '--password-stdin', host], 'bob-pw');
      await docker.docker(['pull', image]);
      const denied = await docker.docker(['push', image]).then(() => 'pushed', (err: unknown) => String(err));
      assert.match(denied, /denied/i);
    } finally {
      await secured.stop();
    }
  });
});
