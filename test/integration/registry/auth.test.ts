// Authentication and access control: htpasswd Basic auth, the built-in token service, robot
// accounts and anonymous pull, with the challenges the spec's clients expect; TLS; skopeo with
// --creds through the token flow.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { makeTar, writeOciLayout } from '../../support/oci-fixtures.js';
import { call, errorCode, pushImageBlobs, putManifest, startTestRegistry, type TestRegistry } from './registry-fixture.js';

const runner = new ChildProcessRunner();
const basic = (user: string, password: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

async function writeAuthFiles(dir: string): Promise<{ htpasswd: string; accessConfig: string }> {
  const htpasswd = join(dir, 'htpasswd');
  await writeFile(htpasswd, `alice:${bcrypt.hashSync('alice-pw', 4).replace('$2b$', '$2y$')}\nbob:${bcrypt.hashSync('bob-pw', 4)}\n`);
  const accessConfig = join(dir, 'access.json');
  await writeFile(accessConfig, JSON.stringify({
    anonymous: { pull: ['public/**'] },
    robots: [{ name: 'ci', secretHash: bcrypt.hashSync('robot-secret', 4) }],
    rules: [
      { accounts: ['alice'], repositories: ['team/**', 'public/**'], actions: ['*'] },
      { accounts: ['bob'], repositories: ['team/**'], actions: ['pull'] },
      { accounts: ['robot$ci'], repositories: ['team/ci-*'], actions: ['pull', 'push'] },
    ],
  }));
  return { htpasswd, accessConfig };
}

describe('registry Basic auth with access rules', () => {
  let registry: TestRegistry;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-registry-auth-'));
    registry = await startTestRegistry(await writeAuthFiles(dir));
  });
  after(async () => {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('no or wrong credentials: 401 with a Basic challenge', async () => {
    const anonymous = await call(registry, 'GET', '/v2/team/app/tags/list');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('www-authenticate'), 'Basic realm="berth-registry"');
    assert.equal(await errorCode(anonymous), 'UNAUTHORIZED');
    const wrong = await call(registry, 'GET', '/v2/', { headers: basic('alice', 'nope') });
    assert.equal(wrong.status, 401);
    assert.equal((await call(registry, 'GET', '/v2/', { headers: basic('alice', 'alice-pw') })).status, 200);
  });

  test('allowed accounts push and pull; others get 403 DENIED; anonymous pull where configured', async () => {
    const asAlice = basic('alice', 'alice-pw');
    const post = await call(registry, 'POST', '/v2/team/app/blobs/uploads/', { headers: asAlice });
    assert.equal(post.status, 202);
    const bobPush = await call(registry, 'POST', '/v2/team/app/blobs/uploads/', { headers: basic('bob', 'bob-pw') });
    assert.equal(bobPush.status, 403);
    assert.equal(await errorCode(bobPush), 'DENIED');
    assert.equal((await call(registry, 'GET', '/v2/team/app/blobs/uploads/x', { headers: basic('bob', 'bob-pw') })).status, 403);
    const robot = basic('robot$ci', 'robot-secret');
    assert.equal((await call(registry, 'POST', '/v2/team/ci-builds/blobs/uploads/', { headers: robot })).status, 202);
    assert.equal((await call(registry, 'POST', '/v2/team/app/blobs/uploads/', { headers: robot })).status, 403);
    const publicPull = await call(registry, 'GET', '/v2/public/thing/tags/list');
    assert.equal(await errorCode(publicPull), 'NAME_UNKNOWN', 'anonymous got past auth to a 404');
    const anonymousPush = await call(registry, 'POST', '/v2/public/thing/blobs/uploads/');
    assert.equal(anonymousPush.status, 401);
    const bobDelete = await call(registry, 'DELETE', `/v2/team/app/manifests/latest`, { headers: basic('bob', 'bob-pw') });
    assert.equal(bobDelete.status, 403);
  });

  test('a cross-repository mount from a source the caller may not pull starts an ordinary upload', async () => {
    const asRobot = basic('robot$ci', 'robot-secret');
    const mount = await call(registry, 'POST', `/v2/team/ci-x/blobs/uploads/?mount=sha256:${'0'.repeat(64)}&from=private/secret`, { headers: asRobot });
    assert.equal(mount.status, 202);
  });
});

describe('registry token auth (the Docker token flow)', () => {
  let registry: TestRegistry;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-registry-token-'));
    registry = await startTestRegistry({ ...(await writeAuthFiles(dir)), auth: 'token' });
  });
  after(async () => {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('challenges name the realm, service and scope; tokens grant only what the rules allow', async () => {
    const base = await call(registry, 'GET', '/v2/');
    assert.equal(base.status, 401);
    assert.equal(base.headers.get('www-authenticate'), `Bearer realm="${registry.url}/token",service="berth-registry"`);
    const pull = await call(registry, 'GET', '/v2/team/app/manifests/latest');
    assert.equal(pull.headers.get('www-authenticate'), `Bearer realm="${registry.url}/token",service="berth-registry",scope="repository:team/app:pull"`);
    const wrongLogin = await call(registry, 'GET', '/token?service=berth-registry&scope=repository:team/app:pull', { headers: basic('alice', 'bad') });
    assert.equal(wrongLogin.status, 401);
    const issued = (await (await call(registry, 'GET', '/token?service=berth-registry&scope=repository:team/app:pull,push', { headers: basic('bob', 'bob-pw') })).json()) as { token: string; expires_in: number };
    assert.ok(issued.expires_in > 0);
    const bearer = { authorization: `Bearer ${issued.token}` };
    assert.equal(await errorCode(await call(registry, 'GET', '/v2/team/app/manifests/latest', { headers: bearer })), 'MANIFEST_UNKNOWN');
    const push = await call(registry, 'POST', '/v2/team/app/blobs/uploads/', { headers: bearer });
    assert.equal(push.status, 403, 'bob may not push, and a new token would not change that');
    assert.equal(await errorCode(push), 'DENIED');
    const other = await call(registry, 'GET', '/v2/team/other/manifests/latest', { headers: bearer });
    assert.equal(other.status, 401, 'a token for another repository: ask for a new one');
    assert.match(other.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
    const forged = await call(registry, 'GET', '/v2/', { headers: { authorization: `Bearer ${issued.token.slice(0, -2)}xx` } });
    assert.equal(forged.status, 401);
    registry.clock.advance(3600_000);
    assert.equal((await call(registry, 'GET', '/v2/team/app/tags/list', { headers: bearer })).status, 401, 'expired');
  });

  test('anonymous tokens pull public repositories', async () => {
    const image = await pushImageBlobsAs(registry);
    const anonymous = (await (await call(registry, 'GET', '/token?service=berth-registry&scope=repository:public/img:pull,push')).json()) as { token: string };
    const bearer = { authorization: `Bearer ${anonymous.token}` };
    assert.equal((await call(registry, 'GET', `/v2/public/img/manifests/${image}`, { headers: bearer })).status, 200);
    assert.equal((await call(registry, 'POST', '/v2/public/img/blobs/uploads/', { headers: bearer })).status, 401);
  });

  test('skopeo with --creds pushes and pulls through the token flow', { skip: existsSync('/usr/bin/skopeo') ? false : 'needs skopeo' }, async () => {
    const layout = join(dir, 'layout');
    await writeOciLayout(layout, [{ name: 'x:1', layers: [{ tar: await makeTar([{ name: 'f', content: 'token flow' }]), compression: 'gzip' }] }]);
    const host = registry.url.replace('http://', '');
    await runner.run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', 'alice:alice-pw', `oci:${layout}`, `docker://${host}/team/tokened:1`]);
    await runner.run('skopeo', ['copy', '--src-tls-verify=false', '--src-creds', 'bob:bob-pw', `docker://${host}/team/tokened:1`, `oci:${join(dir, 'back')}:1`]);
    const denied = await runner.run('skopeo', ['copy', '--dest-tls-verify=false', '--dest-creds', 'bob:bob-pw', `oci:${layout}`, `docker://${host}/team/tokened:2`], { okCodes: [1] });
    assert.match(denied.stderr, /denied|unauthorized/i);
  });
});

/** Pushes an image to public/img with a token for alice; returns its manifest digest. */
async function pushImageBlobsAs(registry: TestRegistry): Promise<string> {
  const token = (await (await call(registry, 'GET', '/token?service=berth-registry&scope=repository:public/img:pull,push', { headers: basic('alice', 'alice-pw') })).json()) as { token: string };
  const headers = { authorization: `Bearer ${token.token}` };
  const image = await pushImageBlobs(registry, 'public/img', 'public', {}, headers);
  const put = await putManifest(registry, 'public/img', 'v1', image.manifest, undefined, headers);
  assert.equal(put.status, 201);
  return image.digest;
}

describe('registry over TLS', () => {
  let registry: TestRegistry | undefined;
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-registry-tls-'));
    await runner.run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
    registry = await startTestRegistry({ tlsCert: join(dir, 'cert.pem'), tlsKey: join(dir, 'key.pem') });
  });
  after(async () => {
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('serves https with the given certificate (skopeo trusts it through --dest-cert-dir)', { skip: existsSync('/usr/bin/skopeo') ? false : 'needs skopeo' }, async () => {
    const url = registry?.url ?? '';
    assert.ok(url.startsWith('https://'));
    const certs = join(dir, 'certs');
    await runner.run('mkdir', ['-p', certs]);
    await runner.run('cp', [join(dir, 'cert.pem'), join(certs, 'ca.crt')]);
    const layout = join(dir, 'layout');
    await writeOciLayout(layout, [{ name: 'x:1', layers: [{ tar: await makeTar([{ name: 'f', content: 'tls' }]), compression: 'gzip' }] }]);
    await runner.run('skopeo', ['copy', '--dest-cert-dir', certs, `oci:${layout}`, `docker://${url.replace('https://', '')}/tls/img:1`]);
    const { stdout } = await runner.run('skopeo', ['inspect', '--cert-dir', certs, `docker://${url.replace('https://', '')}/tls/img:1`]);
    assert.deepEqual((JSON.parse(stdout) as { RepoTags: string[] }).RepoTags, ['1']);
  });
});
