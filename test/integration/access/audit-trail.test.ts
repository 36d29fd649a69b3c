import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AccessDaemon, berthCli, berthCliOk, callSocket, needsRootOrTools } from './access-fixture.js';

const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

interface Entry {
  request: { seq: number; id: string; who: { kind: string; name: string; role: string; uid?: number; source: string }; method: string; route: string; path: string; object?: string; body?: unknown };
  outcome?: { status: number; error?: string };
}

describe('the audit trail of berthd', { skip: needsRootOrTools() || (spawnSync(DOCKER, ['--version']).status === 0 ? false : 'no docker CLI') }, () => {
  let daemon: AccessDaemon;
  let host: string;
  const docker = (args: readonly string[]) => spawnSync(DOCKER, args, {
    encoding: 'utf8', timeout: 60_000, env: { ...process.env, DOCKER_HOST: `unix://${daemon.socketPath}`, DOCKER_CONFIG: join(daemon.work, 'docker-config') },
  });
  const entries = (args: string[] = []): Entry[] => JSON.parse(berthCliOk(['-H', host, 'audit', 'ls', '--format', 'json', ...args])) as Entry[];

  before(async () => {
    daemon = await AccessDaemon.prepare('berth-access-audit-', true);
    await daemon.start();
    host = `unix://${daemon.socketPath}`;
  });
  after(async () => {
    docker(['rm', '-f', 'audited']);
    await (daemon as AccessDaemon | undefined)?.stop();
  });

  test('records every mutating request, exec and cp of a docker flow, with identity and outcome, secrets redacted', () => {
    for (const args of [
      ['run', '-d', '--name', 'audited', '-e', 'API_PASSWORD=hunter2', 'busybox', 'sleep', '60'],
      ['exec', 'audited', 'true'],
      ['cp', 'audited:/etc/hostname', join(daemon.work, 'hostname')],
      ['stop', '-t', '1', 'audited'],
      ['rm', 'audited'],
    ]) {
      const run = docker(args);
      assert.equal(run.status, 0, `docker ${args.join(' ')}: ${run.stderr}`);
    }
    const recorded = entries();
    const routes = recorded.map((e) => `${e.request.method} ${e.request.route} ${e.outcome?.status ?? '-'}`);
    for (const expected of [
      'POST /containers/create 201', 'POST /containers/:id/start 204', 'POST /containers/:id/exec 201', 'POST /exec/:id/start 101',
      'GET /containers/:id/archive 200', 'POST /containers/:id/stop 204', 'DELETE /containers/:id 204',
    ]) assert.ok(routes.includes(expected), `${expected} in ${routes.join(', ')}`);
    assert.ok(!routes.some((r) => r.startsWith('GET /containers/json')), 'reads are not recorded');
    for (const entry of recorded) {
      assert.equal(entry.request.who.name, 'uid 0');
      assert.equal(entry.request.who.role, 'admin');
      assert.match(entry.request.who.source, /^unix socket \(pid \d+\)$/);
    }
    const create = recorded.find((e) => e.request.route === '/containers/create');
    assert.deepEqual((create?.request.body as { Env: string[] }).Env, ['API_PASSWORD=<redacted>']);
    assert.ok(!JSON.stringify(recorded).includes('hunter2'));
    assert.equal(entries(['--object', 'audited']).length >= 3, true);
  });

  test('records a refused request with the token that made it', async () => {
    const token = berthCliOk(['-H', host, 'token', 'create', '--name', 'auditor', '--role', 'viewer']).trim();
    const refused = await callSocket(daemon.socketPath, 'POST', '/volumes/create', { Name: 'nope' }, token);
    assert.equal(refused.status, 403);
    const mine = entries(['--user', 'auditor']);
    assert.deepEqual(mine.map((e) => [e.request.who.kind, e.request.route, e.outcome?.status]), [['token', '/volumes/create', 403]]);
    assert.match(mine[0]?.outcome?.error ?? '', /requires 'volumes\.create'/);
    const tokenCreate = entries().find((e) => e.request.route === '/berth/v1/tokens');
    assert.deepEqual(tokenCreate?.outcome?.status, 201);
  });

  test('records requests refused for want of an identity (401) as anonymous, and refused reads (403), never a secret', async () => {
    const forged = 'berth_forged-secret-value';
    assert.equal((await callSocket(daemon.socketPath, 'GET', '/v1.43/containers/json?all=1', undefined, forged)).status, 401);
    const cli = berthCli(['-H', host, 'volume', 'create', 'never'], { BERTH_TOKEN: forged });
    assert.equal(cli.code, 7, cli.stderr);
    assert.equal((await callSocket(daemon.socketPath, 'POST', '/volumes/create', { Name: 'never' }, 'not one word')).status, 401);
    const anonymous = entries().filter((e) => e.request.who.kind === 'anonymous');
    assert.deepEqual(anonymous.map((e) => [e.request.method, e.request.route, e.request.who.role, e.outcome?.status]), [
      ['GET', '/containers/json', 'none', 401], ['POST', '/volumes/create', 'none', 401], ['POST', '/volumes/create', 'none', 401],
    ]);
    const [read, create, malformed] = anonymous;
    assert.match(read?.request.who.name ?? '', /^unknown token sha256:[0-9a-f]{8}$/);
    assert.equal(create?.request.who.name, read?.request.who.name, 'one forged value, one name');
    assert.equal(malformed?.request.who.name, 'malformed Authorization header');
    for (const entry of anonymous) {
      assert.match(entry.request.who.source, /^unix socket \(pid \d+\)$/);
      assert.equal(entry.request.who.uid, 0);
      assert.match(entry.outcome?.error ?? '', /bearer token is not valid|Authorization header is not/);
    }
    assert.equal(entries(['--user', 'unknown token']).length, 2);
    const viewer = berthCliOk(['-H', host, 'token', 'create', '--name', 'reader', '--role', 'viewer']).trim();
    assert.equal((await callSocket(daemon.socketPath, 'GET', '/berth/v1/tokens', undefined, viewer)).status, 403);
    assert.deepEqual(entries(['--user', 'reader']).map((e) => [e.request.method, e.request.route, e.outcome?.status]), [['GET', '/berth/v1/tokens', 403]]);
    const dir = join(daemon.root, 'audit');
    for (const name of await readdir(dir)) {
      const text = await readFile(join(dir, name), 'utf8');
      assert.ok(!text.includes('forged-secret') && !text.includes('not one word') && !text.includes(viewer.slice('berth_'.length)), 'no secret in the trail');
    }
    const verified = berthCli(['-H', host, 'audit', 'verify']);
    assert.equal(verified.code, 0, verified.stderr);
  });

  test('verify passes, then names the record altered, removed or reordered', async () => {
    const ok = berthCli(['-H', host, 'audit', 'verify']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /audit trail whole: \d+ records in 1 files/);
    const dir = join(daemon.root, 'audit');
    const file = join(dir, (await readdir(dir))[0] ?? '');
    const original = await readFile(file, 'utf8');
    const lines = original.trimEnd().split('\n');
    const tamper = async (edited: string[], expected: RegExp): Promise<void> => {
      await writeFile(file, `${edited.join('\n')}\n`);
      const result = berthCli(['-H', host, 'audit', 'verify']);
      assert.equal(result.code, 9, result.stdout);
      assert.match(result.stderr, expected);
      await writeFile(file, original);
    };
    await tamper(lines.map((line, i) => (i === 2 ? line.replace('"uid 0"', '"uid 1000"') : line)), /line 3: record 3 was altered/);
    await tamper(lines.filter((_line, i) => i !== 4), /line 5: record 5 was removed \(record 6 follows record 4\)/);
    await tamper([...lines.slice(0, 3), lines[4] ?? '', lines[3] ?? '', ...lines.slice(5)], /line 4: record 4 is out of order \(record 5 comes before it\)/);
    assert.equal(berthCli(['-H', host, 'audit', 'verify']).code, 0);
  });
});
