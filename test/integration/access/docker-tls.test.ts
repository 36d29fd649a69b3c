import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AccessDaemon, berthCli, berthCliOk, callTls, needsRootOrTools } from './access-fixture.js';

const DOCKER = existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

function dockerSkip(): string | false {
  return needsRootOrTools() || (spawnSync(DOCKER, ['--version']).status === 0 ? false : 'no docker CLI');
}

/** A free loopback port (listen on 0, close). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', resolve); });
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('the TLS listener with client certificates, as docker --tlsverify uses it', { skip: dockerSkip() }, () => {
  let daemon: AccessDaemon;
  let port: number;
  let pki: string;
  const docker = (args: readonly string[], certDir?: string) => spawnSync(DOCKER, [
    '--tlsverify', '--tlscacert', join(pki, 'ca.pem'),
    ...(certDir === undefined ? [] : ['--tlscert', join(certDir, 'cert.pem'), '--tlskey', join(certDir, 'key.pem')]),
    '-H', `tcp://127.0.0.1:${port}`, ...args,
  ], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DOCKER_CONFIG: join(daemon.work, 'docker-config'), DOCKER_HOST: '', DOCKER_TLS_VERIFY: '', DOCKER_CERT_PATH: '' } });

  before(async () => {
    daemon = await AccessDaemon.prepare('berth-access-tls-', true);
    pki = join(daemon.work, 'pki');
    berthCliOk(['certs', 'ca', '--dir', pki]);
    berthCliOk(['certs', 'server', '--dir', pki, '--host', '127.0.0.1', '--host', 'localhost']);
    berthCliOk(['certs', 'client', '--dir', pki, '--name', 'alice', '--role', 'operator', '--out', join(pki, 'alice')]);
    berthCliOk(['certs', 'client', '--dir', pki, '--name', 'victor', '--out', join(pki, 'victor')]);
    berthCliOk(['certs', 'client', '--dir', pki, '--name', 'root', '--role', 'admin', '--out', join(pki, 'admin')]);
    port = await freePort();
    await daemon.start([
      '--tls-addr', `127.0.0.1:${port}`, '--tlscacert', join(pki, 'ca.pem'), '--tlscert', join(pki, 'server-cert.pem'), '--tlskey', join(pki, 'server-key.pem'),
    ]);
  });
  after(async () => { await (daemon as AccessDaemon | undefined)?.stop(); });

  test('berth certs writes keys private to their owner and never overwrites', async () => {
    assert.equal((await stat(join(pki, 'ca-key.pem'))).mode & 0o777, 0o600);
    assert.equal((await stat(join(pki, 'alice', 'key.pem'))).mode & 0o777, 0o600);
    const again = berthCli(['certs', 'ca', '--dir', pki]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /ca-key\.pem exists/);
  });

  test('docker ps with a client certificate works', () => {
    const ps = docker(['ps', '-a'], join(pki, 'alice'));
    assert.equal(ps.status, 0, ps.stderr);
    assert.match(ps.stdout, /CONTAINER ID/);
    const images = docker(['images', '--format', '{{.Repository}}'], join(pki, 'alice'));
    assert.equal(images.status, 0, images.stderr);
    assert.match(images.stdout, /busybox/);
  });

  test('docker run and exec stream their output over TLS', () => {
    const run = docker(['run', '--rm', 'busybox', 'echo', 'over-tls'], join(pki, 'admin'));
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'over-tls\n');
    assert.equal(docker(['run', '-d', '--name', 'tls-exec', 'busybox', 'sleep', '60'], join(pki, 'admin')).status, 0);
    try {
      const exec = docker(['exec', 'tls-exec', 'echo', 'exec-out'], join(pki, 'admin'));
      assert.equal(exec.stdout, 'exec-out\n', exec.stderr);
    } finally {
      docker(['rm', '-f', 'tls-exec'], join(pki, 'admin'));
    }
  });

  test('docker without a client certificate is refused', () => {
    const ps = docker(['ps']);
    assert.notEqual(ps.status, 0);
    assert.match(ps.stderr, /client certificate signed by berthd's CA, or a bearer token, is required/);
  });

  test('a certificate of another CA is refused', async () => {
    const other = join(daemon.work, 'other');
    berthCliOk(['certs', 'ca', '--dir', other]);
    berthCliOk(['certs', 'client', '--dir', other, '--name', 'mallory', '--role', 'admin']);
    const answer = await callTls(port, await readFile(join(pki, 'ca.pem'), 'utf8'), 'GET', '/containers/json', {
      cert: await readFile(join(other, 'cert.pem'), 'utf8'), key: await readFile(join(other, 'key.pem'), 'utf8'),
    });
    assert.equal(answer.status, 401);
    const audit = JSON.parse(berthCliOk(['-H', `unix://${daemon.socketPath}`, 'audit', 'ls', '--user', 'CN=mallory', '--format', 'json'])) as
      { request: { who: { kind: string; name: string; source: string }; route: string }; outcome?: { status: number } }[];
    assert.deepEqual(audit.map((e) => [e.request.who.kind, e.request.who.name, e.request.route, e.outcome?.status]), [['anonymous', 'unverified certificate CN=mallory', '/containers/json', 401]]);
    assert.match(audit[0]?.request.who.source ?? '', /^tls 127\.0\.0\.1:\d+$/);
  });

  test('a bearer token identifies a client without a certificate', async () => {
    const token = berthCliOk(['-H', `unix://${daemon.socketPath}`, 'token', 'create', '--name', 'dashboard', '--role', 'viewer']).trim();
    const ca = await readFile(join(pki, 'ca.pem'), 'utf8');
    assert.equal((await callTls(port, ca, 'GET', '/v1.43/containers/json', { token })).status, 200);
    const refused = await callTls(port, ca, 'POST', '/v1.43/volumes/create', { token }, { Name: 'v' });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /requires 'volumes\.create' \(token dashboard has role viewer\)/);
    assert.equal((await callTls(port, ca, 'GET', '/v1.43/containers/json', { token: 'berth_forged' })).status, 401);
  });

  test('the certificate\'s role applies, and a refusal names the permission', () => {
    const privileged = docker(['create', '--privileged', 'busybox', 'true'], join(pki, 'alice'));
    assert.notEqual(privileged.status, 0);
    assert.match(privileged.stderr, /permission denied: containers\.create with privileged requires 'containers\.privileged' \(certificate CN=alice has role operator\)/);
    const created = docker(['create', '--name', 'plain', 'busybox', 'true'], join(pki, 'alice'));
    assert.equal(created.status, 0, created.stderr);
    const viewer = docker(['rm', 'plain'], join(pki, 'victor'));
    assert.notEqual(viewer.status, 0);
    assert.match(viewer.stderr, /permission denied: DELETE \/containers\/:id requires 'containers\.delete' \(certificate CN=victor has role viewer\)/);
    assert.equal(docker(['rm', 'plain'], join(pki, 'alice')).status, 0);
  });
});
