import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { AccessDaemon, berthCli, berthCliOk, callSocket, needsRootOrTools, type Run } from './access-fixture.js';

const ROLES = `roles:
  team-a:
    grants:
      - resources: [containers]
        verbs: [read, create, start, stop, delete, exec]
        labels: { team: a }
      - resources: [images]
        verbs: [read]
`;

const message = (body: string): string => (JSON.parse(body) as { message: string }).message;

/** A `Connection: Upgrade` request (as docker attach / exec start send): its status, or 101. */
function upgrade(socketPath: string, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'POST', path, headers: { connection: 'Upgrade', upgrade: 'tcp', authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '2' } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body }); });
    });
    req.on('upgrade', (_res, socket) => { socket.destroy(); resolve({ status: 101, body: '' }); });
    req.on('error', reject);
    req.end('{}');
  });
}

describe('bearer tokens and roles', { skip: needsRootOrTools() }, () => {
  let daemon: AccessDaemon;
  let host: string;
  const tokens: Record<string, string> = {};
  const created: string[] = [];
  const asRoot = (method: string, path: string, body?: unknown) => callSocket(daemon.socketPath, method, path, body);
  const asToken = (name: string, method: string, path: string, body?: unknown) => callSocket(daemon.socketPath, method, path, body, tokens[name]);

  before(async () => {
    daemon = await AccessDaemon.prepare('berth-access-tokens-', true);
    await writeFile(join(daemon.work, 'roles.yaml'), ROLES);
    await daemon.start(['--roles', join(daemon.work, 'roles.yaml')]);
    host = `unix://${daemon.socketPath}`;
    for (const [name, role] of [['viewer-ci', 'viewer'], ['deploy', 'operator'], ['team', 'team-a']] as const) {
      tokens[name] = berthCliOk(['-H', host, 'token', 'create', '--name', name, '--role', role, '--expires', '1h']).trim();
    }
  });
  after(async () => {
    for (const id of created) await asRoot('DELETE', `/containers/${id}?force=1`).catch(() => undefined);
    await (daemon as AccessDaemon | undefined)?.stop();
  });

  test('tokens are listed without secrets and stored hashed', async () => {
    const listed = JSON.parse(berthCliOk(['-H', host, 'token', 'ls', '--format', 'json'])) as { Name: string; Role: string; ExpiresAt?: string }[];
    assert.deepEqual(listed.map((t) => [t.Name, t.Role]), [['viewer-ci', 'viewer'], ['deploy', 'operator'], ['team', 'team-a']]);
    assert.ok(listed.every((t) => t.ExpiresAt !== undefined));
    const file = join(daemon.root, 'access', 'tokens.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const text = await readFile(file, 'utf8');
    for (const token of Object.values(tokens)) {
      assert.match(token, /^berth_/);
      assert.ok(!text.includes(token.slice('berth_'.length)));
    }
    const unknownRole = berthCli(['-H', host, 'token', 'create', '--name', 'x', '--role', 'root']);
    assert.notEqual(unknownRole.code, 0);
    assert.match(unknownRole.stderr, /no role named root/);
  });

  test('a viewer token can list but not create', async () => {
    assert.equal((await asToken('viewer-ci', 'GET', '/containers/json')).status, 200);
    assert.equal((await asToken('viewer-ci', 'GET', '/v1.43/images/json')).status, 200);
    const refused = await asToken('viewer-ci', 'POST', '/v1.43/containers/create', { Image: 'busybox', Cmd: ['true'] });
    assert.equal(refused.status, 403);
    assert.equal(message(refused.body), "permission denied: POST /containers/create requires 'containers.create' (token viewer-ci has role viewer)");
    const tokensRefused = await asToken('viewer-ci', 'GET', '/berth/v1/tokens');
    assert.equal(message(tokensRefused.body), "permission denied: GET /berth/v1/tokens requires 'tokens.read' (token viewer-ci has role viewer)");
  });

  test('an operator creates containers but cannot run privileged, mount the host or exec without the grant', async () => {
    const ok = await asToken('deploy', 'POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '60'] });
    assert.equal(ok.status, 201, ok.body);
    const id = (JSON.parse(ok.body) as { Id: string }).Id;
    created.push(id);
    const cases: [unknown, string][] = [
      [{ Privileged: true }, "permission denied: containers.create with privileged requires 'containers.privileged' (token deploy has role operator)"],
      [{ Binds: ['/etc:/host-etc'] }, "permission denied: containers.create with a bind mount of /etc requires 'containers.host-mounts' (token deploy has role operator)"],
      [{ PidMode: 'host' }, "permission denied: containers.create with pid host requires 'containers.host-pid' (token deploy has role operator)"],
    ];
    for (const [hostConfig, expected] of cases) {
      const refused = await asToken('deploy', 'POST', '/containers/create', { Image: 'busybox', HostConfig: hostConfig });
      assert.equal(refused.status, 403);
      assert.equal(message(refused.body), expected);
    }
    const exec = await asToken('deploy', 'POST', `/containers/${id}/exec`, { Cmd: ['sh'] });
    assert.equal(exec.status, 403);
    assert.equal(message(exec.body), "permission denied: POST /containers/:id/exec requires 'containers.exec' (token deploy has role operator)");
    const archive = await asToken('deploy', 'GET', `/containers/${id}/archive?path=/etc`);
    assert.equal(message(archive.body), "permission denied: GET /containers/:id/archive requires 'containers.archive' (token deploy has role operator)");
  });

  test('hijacked attach and exec start are authorized before they switch protocols', async () => {
    const id = created[0] ?? '';
    for (const [path, permission] of [[`/v1.43/containers/${id}/attach?stream=1&stdout=1`, 'containers.attach'], ['/v1.43/exec/0123/start', 'containers.exec']] as const) {
      const answer = await upgrade(daemon.socketPath, path, tokens['viewer-ci'] ?? '');
      assert.equal(answer.status, 403, path);
      assert.match(message(answer.body), new RegExp(`requires '${permission.replace('.', '\\.')}' \\(token viewer-ci has role viewer\\)`));
    }
  });

  test('a custom role acts only on containers with its labels, exec included', async () => {
    const mine = await asToken('team', 'POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '60'], Labels: { team: 'a' } });
    assert.equal(mine.status, 201, mine.body);
    const mineId = (JSON.parse(mine.body) as { Id: string }).Id;
    created.push(mineId);
    const theirs = await asRoot('POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '60'], Labels: { team: 'b' } });
    const theirsId = (JSON.parse(theirs.body) as { Id: string }).Id;
    created.push(theirsId);
    assert.equal((await asToken('team', 'POST', `/containers/${mineId}/start`)).status, 204);
    const exec = await asToken('team', 'POST', `/containers/${mineId}/exec`, { Cmd: ['true'] });
    assert.equal(exec.status, 201, exec.body);
    const other = await asToken('team', 'POST', `/containers/${theirsId}/start`);
    assert.equal(other.status, 403);
    assert.equal(message(other.body), "permission denied: POST /containers/:id/start requires 'containers.start' (token team has role team-a)");
    assert.equal((await asToken('team', 'POST', '/containers/create', { Image: 'busybox', Labels: { team: 'b' } })).status, 403);
    const listed = JSON.parse((await asToken('team', 'GET', '/containers/json?all=1')).body) as { Id: string }[];
    assert.deepEqual(listed.map((c) => c.Id), [mineId]);
  });

  test('the berth CLI sends BERTH_TOKEN or --token: a viewer lists but cannot run; a bad token is refused, never shown', async () => {
    const viewer = tokens['viewer-ci'] ?? '';
    const asViewer = { BERTH_TOKEN: viewer };
    const running = await asRoot('POST', '/containers/create', { Image: 'busybox', Cmd: ['sleep', '60'] });
    const id = (JSON.parse(running.body) as { Id: string }).Id;
    created.push(id);
    assert.equal((await asRoot('POST', `/containers/${id}/start`)).status, 204);
    const runs: Run[] = [];
    const ps = berthCli(['-H', host, 'ps', '-a', '--format', 'json'], asViewer);
    runs.push(ps);
    assert.equal(ps.code, 0, ps.stderr);
    assert.ok((JSON.parse(ps.stdout) as { Id: string }[]).some((c) => c.Id === id));
    const logs = berthCli(['-H', host, 'logs', id], asViewer); // a streamed answer
    runs.push(logs);
    assert.equal(logs.code, 0, logs.stderr);
    for (const verb of ['run', 'create']) {
      const refused = berthCli(['-H', host, verb, ...(verb === 'run' ? ['--rm'] : []), 'busybox', 'true'], asViewer);
      runs.push(refused);
      assert.equal(refused.code, 7, refused.stderr);
      assert.equal(refused.stderr, "Error: permission denied: POST /containers/create requires 'containers.create' (token viewer-ci has role viewer)\n");
    }
    const attach = berthCli(['-H', host, 'attach', '--no-stdin', id], asViewer); // an upgraded request
    runs.push(attach);
    assert.equal(attach.code, 7, attach.stderr);
    assert.match(attach.stderr, /requires 'containers\.attach' \(token viewer-ci has role viewer\)/);
    const flag = berthCli(['-H', host, '--token', tokens.deploy ?? '', 'volume', 'create', 'cli-token'], asViewer); // the flag wins
    runs.push(flag);
    assert.equal(flag.code, 0, flag.stderr);
    berthCliOk(['-H', host, 'volume', 'rm', 'cli-token']);
    const unknown = berthCli(['-H', host, 'ps'], { BERTH_TOKEN: 'berth_unknown-secret' });
    assert.equal(unknown.code, 7);
    assert.equal(unknown.stderr, 'Error: the bearer token is not valid (unknown, revoked or expired); the token sent came from BERTH_TOKEN\n');
    const malformed = berthCli(['-H', host, 'ps'], { BERTH_TOKEN: 'two words' });
    assert.equal(malformed.code, 2);
    assert.match(malformed.stderr, /^Error: BERTH_TOKEN is not a bearer token/);
    assert.ok(!malformed.stderr.includes('two words'));
    const empty = berthCli(['-H', host, '--token', '', 'ps'], asViewer);
    assert.equal(empty.stderr, 'Error: --token is empty\n');
    for (const run of [...runs, unknown]) {
      const output = `${run.stdout}${run.stderr}`;
      assert.ok(!output.includes(viewer) && !output.includes(tokens.deploy ?? '-') && !output.includes('unknown-secret'), 'a token is never printed');
    }
  });

  test('a revoked token is refused at once', async () => {
    berthCliOk(['-H', host, 'token', 'create', '--name', 'temp', '--role', 'admin']);
    const temp = berthCliOk(['-H', host, 'token', 'create', '--name', 'temp2', '--role', 'viewer']).trim();
    assert.equal((await callSocket(daemon.socketPath, 'GET', '/info', undefined, temp)).status, 200);
    assert.equal(berthCliOk(['-H', host, 'token', 'rm', 'temp2']).trim(), 'temp2');
    const refused = await callSocket(daemon.socketPath, 'GET', '/info', undefined, temp);
    assert.equal(refused.status, 401);
    assert.equal(message(refused.body), 'the bearer token is not valid (unknown, revoked or expired)');
  });
});

describe('a bad roles file', { skip: needsRootOrTools() }, () => {
  test('stops berthd with an error naming the role and the field', async (t) => {
    const daemon = await AccessDaemon.prepare('berth-access-roles-');
    t.after(() => daemon.stop());
    const file = join(daemon.work, 'roles.yaml');
    await writeFile(file, 'roles:\n  ops:\n    grants:\n      - resources: [containers]\n        verbs: [read, exce]\n');
    await assert.rejects(daemon.start(['--roles', file]), new RegExp(`roles file ${file}: role ops: field grants\\[0\\]\\.verbs\\[1\\]: "exce" is not a verb of containers`));
  });
});
