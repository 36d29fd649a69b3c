// The docker CLIs (Debian's 20.10, and a newer one if installed) pull from, log in to and push to
// the CNCF registry on 127.0.0.1 through berthd; the berth CLI does the same through berthd and
// in-process (--root). Needs root, runc, conmon, docker-registry and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berth, berthAt, berthOk, needsRoot } from '../support/berth-cli.js';
import { BerthdProcess } from '../support/berthd-process.js';
import { CncfRegistry, needsRegistry } from '../support/cncf-registry.js';
import { sweepLeftovers, testCgroupName } from '../integration/runtime/runtime-fixtures.js';

const CLIS = ['/usr/bin/docker', '/usr/local/bin/docker'].filter((path) => existsSync(path));

describe('registries through berthd: docker and berth CLIs', { skip: needsRoot() || needsRegistry() || (CLIS.length === 0 && 'no docker CLI') }, () => {
  let work: string;
  let daemon: BerthdProcess;
  let open: CncfRegistry;
  let secured: CncfRegistry;
  let busyboxId: string;
  const user = { username: 'ci', password: 's3cret:pw' };
  /** Each CLI has its own client config, so one's login is not the other's. */
  const config = (cli: string): string => join(work, `docker-config-${cli.replace(/\//g, '-')}`);
  const docker = (cli: string, args: string[], input?: string) => {
    const result = spawnSync(cli, args, { env: { ...process.env, DOCKER_HOST: `unix://${daemon.socketPath}`, DOCKER_CONFIG: config(cli) }, encoding: 'utf8', input, timeout: 120_000 });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
  const ok = (cli: string, args: string[], input?: string): string => {
    const r = docker(cli, args, input);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.err}`);
    return r.out;
  };

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-e2e-registry-'));
    [open, secured] = await Promise.all([CncfRegistry.start(), CncfRegistry.start({ user })]);
    const source = join(work, 'source');
    await berthOk(source, ['image', 'bootstrap', 'busybox']);
    busyboxId = (await berthOk(source, ['image', 'inspect', 'busybox'])).match(/"Id": "(sha256:[0-9a-f]{64})"/)?.[1] ?? '';
    await berthOk(source, ['tag', 'busybox', `${open.host}/busybox:latest`]);
    await berthOk(source, ['push', `${open.host}/busybox:latest`]);
    daemon = await BerthdProcess.start(join(work, 'root'), join(work, 'run', 'berth.sock'), ['--cgroup-parent', `/${testCgroupName()}`, '--insecure-registry', 'registry.invalid:5000']);
  });
  after(async () => {
    try {
      await (daemon as BerthdProcess | undefined)?.stop();
      await open.stop();
      await secured.stop();
      await sweepLeftovers();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  for (const cli of CLIS) {
    test(`${cli}: pull, run, login (wrong then right), push, logout`, async () => {
      const image = `${open.host}/busybox:latest`;
      const pulled = ok(cli, ['pull', image]);
      assert.match(pulled, /Status: (Downloaded newer image|Image is up to date)/);
      assert.equal(ok(cli, ['image', 'inspect', '--format', '{{.Id}}', image]).trim(), busyboxId);
      assert.equal(ok(cli, ['run', '--rm', '--network', 'none', image, 'echo', 'from-registry']).trim(), 'from-registry');
      // docker run of an image berthd does not have: the CLI pulls it through berthd, then runs it.
      ok(cli, ['rmi', image]);
      const run = docker(cli, ['run', '--rm', '--network', 'none', image, 'echo', 'auto-pulled']);
      assert.equal(run.code, 0, run.err);
      assert.equal(run.out.trim().split('\n').pop(), 'auto-pulled');

      const wrong = docker(cli, ['login', '-u', user.username, '--password-stdin', secured.host], 'nope\n');
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.err, /incorrect username or password|unauthorized/i);
      assert.match(ok(cli, ['login', '-u', user.username, '--password-stdin', secured.host], `${user.password}\n`), /Login Succeeded/);
      const stored = JSON.parse(await readFile(join(config(cli), 'config.json'), 'utf8')) as { auths: Record<string, { auth?: string }> };
      assert.equal(Buffer.from(stored.auths[secured.host]?.auth ?? '', 'base64').toString(), `${user.username}:${user.password}`);

      const target = `${secured.host}/team/busybox:${cli.includes('local') ? 'new' : 'old'}`;
      ok(cli, ['tag', image, target]);
      assert.match(ok(cli, ['push', target]), /digest: sha256:[0-9a-f]{64}/);
      ok(cli, ['rmi', target]);
      ok(cli, ['pull', target]);
      assert.match(ok(cli, ['pull', '-a', `${secured.host}/team/busybox`]), /Downloaded newer image|Image is up to date/);
      ok(cli, ['logout', secured.host]);
      ok(cli, ['rmi', target]);
      const denied = docker(cli, ['pull', target]);
      assert.notEqual(denied.code, 0);
      assert.match(denied.err, /access denied: .*authentication required/i);
    });
  }

  test('the berth CLI: login, push and pull through berthd; pull in-process with --root', async () => {
    const env = { DOCKER_CONFIG: join(work, 'berth-config') };
    const socket = daemon.socketPath;
    const wrong = await berthAt(socket, ['login', '-u', user.username, '--password-stdin', secured.host], { env, input: Buffer.from('bad\n') });
    assert.equal(wrong.code, 7, wrong.stderr);
    const login = await berthAt(socket, ['login', '-u', user.username, '--password-stdin', secured.host], { env, input: Buffer.from(`${user.password}\n`) });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login Succeeded/);
    const target = `${secured.host}/berth/busybox:1`;
    assert.equal((await berthAt(socket, ['tag', `${open.host}/busybox:latest`, target])).code, 0);
    const pushed = await berthAt(socket, ['push', target], { env });
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /1: digest: sha256:/);
    const fresh = join(work, 'fresh');
    const pulled = await berth(fresh, ['pull', target], { env });
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /Pull complete/);
    assert.match(pulled.stdout, new RegExp(`${target.replace(/[.]/g, '\\.')}\\n$`));
    const viaDaemon = await berthAt(socket, ['pull', target], { env });
    assert.equal(viaDaemon.code, 0, viaDaemon.stderr);
    const quiet = await berth(join(work, 'quiet'), ['pull', '-q', '--insecure-registry', 'registry.invalid', target], { env });
    assert.equal(quiet.stdout, `${target}\n`, quiet.stderr);
    const refused = await berthAt(socket, ['pull', '--insecure-registry', 'registry.invalid', target], { env });
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /start it with --insecure-registry/);
    const logout = await berthAt(socket, ['logout', secured.host], { env });
    assert.match(logout.stdout, /Removing login credentials/);
    const anonymous = await berth(join(work, 'fresh2'), ['pull', target], { env });
    assert.equal(anonymous.code, 7, anonymous.stderr);
    assert.match(anonymous.stderr, /authentication required/);
  });
});
