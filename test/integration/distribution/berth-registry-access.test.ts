// Pushes and logins through berthd against berth's registry with access rules: a mount the
// registry will not do never fails a push (the client uploads instead), the progress names only
// the repository a layer was really mounted from, and login checks the credentials it is given
// also where anonymous pulls are allowed. Needs root (berthd).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { startRegistryServer, type RunningRegistry } from '../../../src/registry/registry-server.js';
import { berthAt, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

const DOCKER = ['/usr/bin/docker', '/usr/local/bin/docker'].find((path) => existsSync(path));
// The registries run in this process: a client must be awaited, never run synchronously.
const runner = new ChildProcessRunner();

describe('berthd pushes and logins against access rules', { skip: needsRoot() }, () => {
  let work: string;
  let tokenRegistry: RunningRegistry;
  let basicRegistry: RunningRegistry;
  let daemon: BerthdProcess;
  const env = (): Record<string, string> => ({ DOCKER_CONFIG: join(work, 'client-config') });
  const hostOf = (registry: RunningRegistry): string => new URL(registry.url).host;
  const login = (registry: RunningRegistry, user: string, password: string) =>
    berthAt(daemon.socketPath, ['login', '-u', user, '--password-stdin', hostOf(registry)], { env: env(), input: Buffer.from(`${password}\n`) });

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-registry-access-'));
    const htpasswd = join(work, 'htpasswd');
    await writeFile(htpasswd, `alice:${bcrypt.hashSync('alice-pw', 4)}\nbob:${bcrypt.hashSync('bob-pw', 4)}\n`);
    const accessConfig = join(work, 'access.json');
    await writeFile(accessConfig, JSON.stringify({
      anonymous: { pull: ['public/**'] },
      rules: [
        { accounts: ['alice'], repositories: ['team/**'], actions: ['*'] },
        { accounts: ['bob'], repositories: ['bob/**'], actions: ['pull', 'push'] },
      ],
    }));
    tokenRegistry = await startRegistryServer({ root: join(work, 'token-registry'), addr: '127.0.0.1:0', gcIntervalMs: 0, htpasswd, accessConfig, auth: 'token' });
    basicRegistry = await startRegistryServer({ root: join(work, 'basic-registry'), addr: '127.0.0.1:0', gcIntervalMs: 0, htpasswd, accessConfig, auth: 'basic' });
    const source = await openImageNode(join(work, 'source'));
    const archive = join(work, 'busybox.tar');
    try {
      await source.bootstrap('busybox');
      await source.save(['busybox'], 'docker-archive', { path: archive });
    } finally {
      await source.close();
    }
    daemon = await BerthdProcess.start(join(work, 'root'), join(work, 'berth.sock'), ['--cgroup-parent', `/${testCgroupName()}`]);
    const load = await berthAt(daemon.socketPath, ['load', '-i', archive]);
    assert.equal(load.code, 0, load.stderr);
  });
  after(async () => {
    try {
      await (daemon as BerthdProcess | undefined)?.stop();
      await tokenRegistry.close();
      await basicRegistry.close();
      await sweepLeftovers();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  test('a mount the registry refuses falls back to an upload; only a real source is named', async () => {
    const host = hostOf(tokenRegistry);
    // The image also has names in bob's repositories (one pushed, one never): alice may pull neither.
    assert.equal((await login(tokenRegistry, 'bob', 'bob-pw')).code, 0);
    for (const name of [`${host}/bob/base:1`, `${host}/bob/never:1`, `${host}/team/app:1`, `${host}/team/copy:1`]) {
      assert.equal((await berthAt(daemon.socketPath, ['tag', 'busybox', name])).code, 0);
    }
    const bobPush = await berthAt(daemon.socketPath, ['push', `${host}/bob/base:1`], { env: env() });
    assert.equal(bobPush.code, 0, bobPush.stderr);

    assert.equal((await login(tokenRegistry, 'alice', 'alice-pw')).code, 0);
    const first = await berthAt(daemon.socketPath, ['push', `${host}/team/app:1`], { env: env() });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Pushed/);
    assert.doesNotMatch(first.stdout, /Mounted from/, 'bob/base holds the layer but alice may not pull it');
    const second = await berthAt(daemon.socketPath, ['push', `${host}/team/copy:1`], { env: env() });
    assert.equal(second.code, 0, second.stderr);
    const mounted = second.stdout.split('\n').filter((line) => line.includes('Mounted from'));
    assert.ok(mounted.length > 0, second.stdout);
    for (const line of mounted) assert.match(line, /Mounted from team\/app$/);
    const bytes = await fetch(`${tokenRegistry.url}/v2/team/copy/manifests/1`, { headers: { authorization: `Bearer ${await tokenFor(tokenRegistry, 'alice:alice-pw', 'team/copy')}` } });
    assert.equal(bytes.status, 200);

    if (DOCKER !== undefined) {
      const tagged = await berthAt(daemon.socketPath, ['tag', 'busybox', `${host}/team/docker:1`]);
      assert.equal(tagged.code, 0);
      const pushed = await runner.run(DOCKER, ['push', `${host}/team/docker:1`], { env: { ...process.env, ...env(), DOCKER_HOST: `unix://${daemon.socketPath}` } });
      assert.doesNotMatch(pushed.stdout, /bob/);
    }
  });

  test('login checks the credentials it is sent, also where anonymous pulls are allowed', async () => {
    assert.equal((await fetch(`${basicRegistry.url}/v2/`)).status, 200, 'anonymous may enter this registry');
    const wrong = await login(basicRegistry, 'bob', 'wrong');
    assert.equal(wrong.code, 7, wrong.stdout + wrong.stderr);
    assert.match(wrong.stderr, /incorrect username or password/);
    assert.doesNotMatch(wrong.stdout, /Login Succeeded/);
    const right = await login(basicRegistry, 'bob', 'bob-pw');
    assert.equal(right.code, 0, right.stderr);
    assert.match(right.stdout, /Login Succeeded/);
    if (DOCKER !== undefined) {
      const docker = await runner.run(DOCKER, ['login', '-u', 'bob', '--password-stdin', hostOf(basicRegistry)], {
        env: { ...process.env, DOCKER_CONFIG: join(work, 'docker-config'), DOCKER_HOST: `unix://${daemon.socketPath}` }, input: 'wrong\n', okCodes: [1],
      });
      assert.match(docker.stderr, /incorrect username or password|unauthorized/i);
    }
  });
});

async function tokenFor(registry: RunningRegistry, credentials: string, repository: string): Promise<string> {
  const answer = await fetch(`${registry.url}/token?service=berth-registry&scope=repository:${repository}:pull`, { headers: { authorization: `Basic ${Buffer.from(credentials).toString('base64')}` } });
  return ((await answer.json()) as { token: string }).token;
}
