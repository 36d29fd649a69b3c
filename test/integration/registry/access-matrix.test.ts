// The registry's access model from both sides: every identity against every route of every
// repository, under Basic auth and under the token flow. The expected answer comes from the
// table below, written out by hand (not from the code under test): a route that forgets a
// check, or checks the wrong action, fails here. Cross-repository mounts take a blob only from
// a repository the caller may pull, and otherwise start an ordinary upload (202).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { call, errorCode, pushBlob, pushImageBlobs, putManifest, type TestRegistry, startTestRegistry } from './registry-fixture.js';

type Action = 'pull' | 'push' | 'delete';
type Identity = 'anonymous' | 'alice' | 'bob' | 'carol' | 'robot$ci';

const PASSWORDS: Record<Exclude<Identity, 'anonymous'>, string> = { alice: 'alice-pw', bob: 'bob-pw', carol: 'carol-pw', 'robot$ci': 'robot-secret' };
const REPOSITORIES = ['team/app', 'team/ci-x', 'bob/secret', 'public/lib'] as const;
type Repository = (typeof REPOSITORIES)[number];

/** What each identity may do, by hand: the access config below must grant exactly this. */
const EXPECTED: Record<Identity, Record<Repository, Action[]>> = {
  anonymous: { 'team/app': [], 'team/ci-x': [], 'bob/secret': [], 'public/lib': ['pull'] },
  alice: { 'team/app': ['pull', 'push', 'delete'], 'team/ci-x': ['pull', 'push', 'delete'], 'bob/secret': [], 'public/lib': ['pull', 'push', 'delete'] },
  bob: { 'team/app': [], 'team/ci-x': [], 'bob/secret': ['pull', 'push'], 'public/lib': ['pull'] },
  carol: { 'team/app': ['pull', 'delete'], 'team/ci-x': ['pull', 'delete'], 'bob/secret': [], 'public/lib': ['pull'] },
  'robot$ci': { 'team/app': [], 'team/ci-x': ['pull', 'push'], 'bob/secret': [], 'public/lib': ['pull'] },
};

async function writeAccessFiles(dir: string): Promise<{ htpasswd: string; accessConfig: string }> {
  const htpasswd = join(dir, 'htpasswd');
  const users = (['alice', 'bob', 'carol'] as const).map((user) => `${user}:${bcrypt.hashSync(PASSWORDS[user], 4)}`);
  await writeFile(htpasswd, `${[...users, `root:${bcrypt.hashSync('root-pw', 4)}`].join('\n')}\n`);
  const accessConfig = join(dir, 'access.json');
  await writeFile(accessConfig, JSON.stringify({
    anonymous: { pull: ['public/**'] },
    robots: [{ name: 'ci', secretHash: bcrypt.hashSync('robot-secret', 4) }],
    rules: [
      { accounts: ['alice'], repositories: ['team/**', 'public/**'], actions: ['*'] },
      { accounts: ['bob'], repositories: ['bob/**'], actions: ['pull', 'push'] },
      { accounts: ['carol'], repositories: ['team/*'], actions: ['pull'] },
      { accounts: ['carol'], repositories: ['team/**'], actions: ['delete'] },
      { accounts: ['robot$ci'], repositories: ['team/ci-*'], actions: ['pull', 'push'] },
      { accounts: ['root'], repositories: ['**'], actions: ['*'] },
    ],
  }));
  return { htpasswd, accessConfig };
}

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** One route of one repository: the action it needs and the request that exercises it. */
interface RouteCase {
  label: string;
  action: Action;
  method: string;
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
  /** The answer when allowed (the route ran: data, or a 4xx of the route, never 401/403). */
  allowed: number;
}

interface Seeded {
  layer: string;
  manifest: string;
}

/** Every route family of the distribution API, for `repository` holding `seeded`. */
function routesOf(repository: Repository, seeded: Seeded): RouteCase[] {
  const v2 = `/v2/${repository}`;
  const absent = `sha256:${'e'.repeat(64)}`;
  const upload = `${v2}/blobs/uploads/${randomUUID()}`;
  return [
    { label: 'GET blob', action: 'pull', method: 'GET', path: `${v2}/blobs/${seeded.layer}`, allowed: 200 },
    { label: 'HEAD blob', action: 'pull', method: 'HEAD', path: `${v2}/blobs/${seeded.layer}`, allowed: 200 },
    { label: 'DELETE blob', action: 'delete', method: 'DELETE', path: `${v2}/blobs/${absent}`, allowed: 404 },
    { label: 'POST upload', action: 'push', method: 'POST', path: `${v2}/blobs/uploads/`, allowed: 202 },
    { label: 'POST monolithic upload', action: 'push', method: 'POST', path: `${v2}/blobs/uploads/?digest=${absent}`, body: Buffer.from('x'), allowed: 400 },
    { label: 'PATCH upload', action: 'push', method: 'PATCH', path: upload, body: Buffer.from('x'), allowed: 404 },
    { label: 'PUT upload', action: 'push', method: 'PUT', path: `${upload}?digest=${absent}`, allowed: 404 },
    { label: 'GET upload', action: 'push', method: 'GET', path: upload, allowed: 404 },
    { label: 'DELETE upload', action: 'push', method: 'DELETE', path: upload, allowed: 404 },
    { label: 'GET manifest', action: 'pull', method: 'GET', path: `${v2}/manifests/v1`, allowed: 200 },
    { label: 'HEAD manifest', action: 'pull', method: 'HEAD', path: `${v2}/manifests/${seeded.manifest}`, allowed: 200 },
    { label: 'PUT manifest', action: 'push', method: 'PUT', path: `${v2}/manifests/v2`, body: Buffer.from('{}'), headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, allowed: 400 },
    { label: 'DELETE manifest', action: 'delete', method: 'DELETE', path: `${v2}/manifests/${absent}`, allowed: 404 },
    { label: 'GET tags', action: 'pull', method: 'GET', path: `${v2}/tags/list`, allowed: 200 },
    { label: 'GET referrers', action: 'pull', method: 'GET', path: `${v2}/referrers/${seeded.manifest}`, allowed: 200 },
  ];
}

const ROOT = basic('root', 'root-pw');

/** Pushes one small image per repository as `root` (who may do everything, and is not in the table); returns its digests. */
async function seed(registry: TestRegistry, headersFor: (repository: string) => Promise<Record<string, string>>): Promise<Record<Repository, Seeded>> {
  const seeded: Partial<Record<Repository, Seeded>> = {};
  for (const repository of REPOSITORIES) {
    const headers = await headersFor(repository);
    const image = await pushImageBlobs(registry, repository, repository, {}, headers);
    const put = await putManifest(registry, repository, 'v1', image.manifest, undefined, headers);
    assert.equal(put.status, 201, `seed ${repository}`);
    seeded[repository] = { layer: image.blobs[1] ?? '', manifest: image.digest };
  }
  return seeded as Record<Repository, Seeded>;
}

/** The answer a case must get: the route's own when allowed; 401 anonymous, 403 authenticated when not. */
function expectedStatus(identity: Identity, repository: Repository, route: RouteCase): number {
  if (EXPECTED[identity][repository].includes(route.action)) return route.allowed;
  return identity === 'anonymous' ? 401 : 403;
}

describe('registry access matrix under Basic auth', () => {
  let registry: TestRegistry;
  let dir: string;
  let seeded: Record<Repository, Seeded>;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-registry-matrix-'));
    registry = await startTestRegistry({ ...(await writeAccessFiles(dir)), auth: 'basic' });
    seeded = await seed(registry, () => Promise.resolve(ROOT));
  });
  after(async () => {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const identity of Object.keys(EXPECTED) as Identity[]) {
    test(`${identity}: every route of every repository`, async () => {
      const headers = identity === 'anonymous' ? {} : basic(identity, PASSWORDS[identity]);
      const wrong: string[] = [];
      for (const repository of REPOSITORIES) {
        for (const route of routesOf(repository, seeded[repository])) {
          const answer = await call(registry, route.method, route.path, { headers: { ...headers, ...route.headers }, ...(route.body !== undefined && { body: route.body }) });
          const body = Buffer.from(await answer.arrayBuffer());
          const want = expectedStatus(identity, repository, route);
          if (answer.status !== want) wrong.push(`${route.label} ${repository}: ${answer.status}, want ${want} ${body.toString().slice(0, 120)}`);
          if (want === 401 && answer.headers.get('www-authenticate') !== 'Basic realm="berth-registry"') wrong.push(`${route.label} ${repository}: no Basic challenge`);
          if (want === 403 && route.method !== 'HEAD' && !body.toString().includes('DENIED')) wrong.push(`${route.label} ${repository}: 403 without DENIED`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  }

  test('the catalog lists exactly the repositories each account may pull; anonymous gets 401', async () => {
    for (const identity of ['alice', 'bob', 'carol', 'robot$ci'] as const) {
      const answer = await call(registry, 'GET', '/v2/_catalog', { headers: basic(identity, PASSWORDS[identity]) });
      const listed = ((await answer.json()) as { repositories: string[] }).repositories;
      const want = REPOSITORIES.filter((repository) => EXPECTED[identity][repository].includes('pull')).sort();
      assert.deepEqual(listed, want, identity);
    }
    assert.equal((await call(registry, 'GET', '/v2/_catalog')).status, 401);
  });

  test('wrong credentials get 401 everywhere, even where anonymous access is allowed', async () => {
    for (const path of ['/v2/', `/v2/public/lib/manifests/v1`, `/v2/public/lib/blobs/${seeded['public/lib'].layer}`, '/v2/_catalog']) {
      const answer = await call(registry, 'GET', path, { headers: basic('bob', 'wrong') });
      assert.equal(answer.status, 401, path);
      assert.equal(answer.headers.get('www-authenticate'), 'Basic realm="berth-registry"');
    }
    assert.equal((await call(registry, 'GET', '/v2/', { headers: basic('nobody', 'x') })).status, 401);
    assert.equal((await call(registry, 'GET', '/v2/')).status, 200, 'anonymous may enter: public/** is pullable');
  });

  test("an upload session of one repository is unknown in another, whoever asks", async () => {
    const post = await call(registry, 'POST', '/v2/team/app/blobs/uploads/', { headers: basic('alice', 'alice-pw') });
    const location = post.headers.get('location') ?? '';
    const uuid = location.split('/').at(-1) ?? '';
    const foreign = await call(registry, 'PATCH', `/v2/bob/secret/blobs/uploads/${uuid}`, { headers: basic('bob', 'bob-pw'), body: Buffer.from('x') });
    assert.equal(foreign.status, 404);
    assert.equal(await errorCode(foreign), 'BLOB_UPLOAD_UNKNOWN');
  });

  test('a mount takes a blob only from a repository the caller may pull; otherwise it is an upload', async () => {
    const asAlice = basic('alice', 'alice-pw');
    const secret = await pushBlob(registry, 'bob/secret', 'bob private data', basic('bob', 'bob-pw'));
    assert.equal((await call(registry, 'GET', `/v2/bob/secret/blobs/${secret}`, { headers: asAlice })).status, 403);
    for (const query of [`mount=${secret}`, `mount=${secret}&from=bob/secret`]) {
      const mount = await call(registry, 'POST', `/v2/team/leak/blobs/uploads/?${query}`, { headers: asAlice });
      assert.equal(mount.status, 202, query);
      assert.match(mount.headers.get('location') ?? '', /^\/v2\/team\/leak\/blobs\/uploads\/[0-9a-f-]{36}$/);
      const read = await call(registry, 'GET', `/v2/team/leak/blobs/${secret}`, { headers: asAlice });
      assert.equal(read.status, 404, `${query}: bob's bytes must not be readable through team/leak`);
      assert.equal(await errorCode(read), 'BLOB_UNKNOWN');
    }
    // From a repository alice may pull, the same blob mounts (without `from` as well).
    const shared = await pushBlob(registry, 'team/app', 'team data', asAlice);
    const byName = await call(registry, 'POST', `/v2/team/copy/blobs/uploads/?mount=${shared}&from=team/app`, { headers: asAlice });
    assert.equal(byName.status, 201);
    const anywhere = await call(registry, 'POST', `/v2/public/copy/blobs/uploads/?mount=${shared}`, { headers: asAlice });
    assert.equal(anywhere.status, 201);
    assert.equal(await (await call(registry, 'GET', `/v2/public/copy/blobs/${shared}`, { headers: asAlice })).text(), 'team data');
    // bob may pull public/lib: he mounts its layer into his own repository, but not team/app's.
    const publicLayer = seeded['public/lib'].layer;
    assert.equal((await call(registry, 'POST', `/v2/bob/mine/blobs/uploads/?mount=${publicLayer}`, { headers: basic('bob', 'bob-pw') })).status, 201);
    const teamLayer = seeded['team/app'].layer;
    assert.equal((await call(registry, 'POST', `/v2/bob/mine/blobs/uploads/?mount=${teamLayer}&from=team/app`, { headers: basic('bob', 'bob-pw') })).status, 202);
    assert.equal((await call(registry, 'HEAD', `/v2/bob/mine/blobs/${teamLayer}`, { headers: basic('bob', 'bob-pw') })).status, 404);
  });
});

describe('registry access matrix under the token flow', () => {
  let registry: TestRegistry;
  let dir: string;
  let seeded: Record<Repository, Seeded>;
  const tokenFor = async (authorization: Record<string, string>, scopes: string[]): Promise<Record<string, string>> => {
    const query = scopes.map((scope) => `scope=${encodeURIComponent(scope)}`).join('&');
    const answer = await call(registry, 'GET', `/token?service=berth-registry&${query}`, { headers: authorization });
    assert.equal(answer.status, 200);
    return { authorization: `Bearer ${((await answer.json()) as { token: string }).token}` };
  };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-registry-matrix-token-'));
    registry = await startTestRegistry({ ...(await writeAccessFiles(dir)), auth: 'token' });
    seeded = await seed(registry, (repository) => tokenFor(ROOT, [`repository:${repository}:pull,push`]));
  });
  after(async () => {
    await registry.stop();
    await rm(dir, { recursive: true, force: true });
  });

  for (const identity of Object.keys(EXPECTED) as Identity[]) {
    test(`${identity}: a token asked for everything grants only the table's actions`, async () => {
      const login = identity === 'anonymous' ? {} : basic(identity, PASSWORDS[identity]);
      const wrong: string[] = [];
      for (const repository of REPOSITORIES) {
        const headers = await tokenFor(login, [`repository:${repository}:pull,push,delete`]);
        for (const route of routesOf(repository, seeded[repository])) {
          const answer = await call(registry, route.method, route.path, { headers: { ...headers, ...route.headers }, ...(route.body !== undefined && { body: route.body }) });
          await answer.arrayBuffer();
          const want = expectedStatus(identity, repository, route);
          if (answer.status !== want) wrong.push(`${route.label} ${repository}: ${answer.status}, want ${want}`);
          if (want === 401 && !(answer.headers.get('www-authenticate') ?? '').startsWith('Bearer ')) wrong.push(`${route.label} ${repository}: no Bearer challenge`);
        }
      }
      assert.deepEqual(wrong, []);
    });
  }

  test('a token for one repository opens no other', async () => {
    const headers = await tokenFor(basic('alice', 'alice-pw'), ['repository:team/app:pull,push,delete']);
    const other = await call(registry, 'GET', `/v2/team/ci-x/manifests/v1`, { headers });
    assert.equal(other.status, 401);
    assert.match(other.headers.get('www-authenticate') ?? '', /error="insufficient_scope"/);
  });

  test('a mount needs the source in the token and in the rules; otherwise 202', async () => {
    const bobToken = await tokenFor(basic('bob', 'bob-pw'), ['repository:bob/secret:pull,push']);
    const secret = await pushBlob(registry, 'bob/secret', 'bob token secret', bobToken);
    const asked = await tokenFor(basic('alice', 'alice-pw'), ['repository:team/leak:pull,push', 'repository:bob/secret:pull']);
    for (const query of [`mount=${secret}`, `mount=${secret}&from=bob/secret`]) {
      const mount = await call(registry, 'POST', `/v2/team/leak/blobs/uploads/?${query}`, { headers: asked });
      assert.equal(mount.status, 202, query);
      assert.equal((await call(registry, 'GET', `/v2/team/leak/blobs/${secret}`, { headers: asked })).status, 404);
    }
    const teamLayer = seeded['team/app'].layer;
    const narrow = await tokenFor(basic('alice', 'alice-pw'), ['repository:team/copy:pull,push']);
    assert.equal((await call(registry, 'POST', `/v2/team/copy/blobs/uploads/?mount=${teamLayer}&from=team/app`, { headers: narrow })).status, 202, 'team/app is not in the token');
    const wide = await tokenFor(basic('alice', 'alice-pw'), ['repository:team/copy:pull,push', 'repository:team/app:pull']);
    assert.equal((await call(registry, 'POST', `/v2/team/copy/blobs/uploads/?mount=${teamLayer}&from=team/app`, { headers: wide })).status, 201);
  });
});
