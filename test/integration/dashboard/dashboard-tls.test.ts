// The dashboard over TLS on a wildcard address, as berthd starts it with --dashboard-addr
// 0.0.0.0:0 --dashboard-tls-cert --dashboard-tls-key: the flags read (daemon/dashboard-flags.ts)
// from a self-signed certificate openssl made for IP 127.0.0.1 and DNS dash.test, the dashboard
// started on them against a real berthd's socket. HTTPS answers the token and 401 without it;
// plain HTTP gets no answer; a Host outside the certificate's names is 403, token or not; the
// login cookie is Secure; `berth dashboard url` prints the https URL. Only loopback is connected
// to. Needs root (berthd) and openssl.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readDashboardFlags } from '../../../src/daemon/dashboard-flags.js';
import { startDashboard, type DashboardServer } from '../../../src/dashboard/index.js';
import { needsRoot } from '../../support/berth-cli.js';
import type { TestProcess } from '../metrics/metrics-fixtures.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { berthCli, startBerthd } from './dashboard-fixtures.js';

const OPENSSL = '/usr/bin/openssl';
const skip = needsRoot() || (existsSync(OPENSSL) ? false : `${OPENSSL} is not installed`);
if (skip !== false) process.stderr.write(`dashboard over TLS: skipped: ${skip}\n`);

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('the dashboard over TLS on a non-loopback address', { skip }, () => {
  let work: string;
  let root: string;
  let cert: string;
  let daemon: TestProcess | undefined;
  let dashboard: DashboardServer | undefined;
  let port: number;
  let token: string;

  /** GET over HTTPS to 127.0.0.1:port, the certificate verified for `name` (SNI and Host too, unless `host` says otherwise). */
  const get = (path: string, options: { name?: string; host?: string; headers?: Record<string, string> } = {}): Promise<Answer> => new Promise((resolve, reject) => {
    const name = options.name ?? 'dash.test';
    // An address is checked against the certificate's IP entries, and is sent as no SNI name (RFC 6066).
    httpsRequest({ host: '127.0.0.1', port, path, ca: cert, ...(isIP(name) === 0 && { servername: name }), headers: { host: options.host ?? `${name}:${port}`, ...options.headers } }, (response) => {
      let body = '';
      response.on('data', (c: Buffer) => { body += c.toString(); });
      response.on('end', () => { resolve({ status: response.statusCode ?? 0, headers: response.headers, body }); });
    }).on('error', reject).end();
  });
  const bearer = (): Record<string, string> => ({ authorization: `Bearer ${token}` });

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-dashboard-tls-'));
    root = join(work, 'root');
    const socket = join(work, 'berth.sock');
    const certFile = join(work, 'cert.pem');
    const keyFile = join(work, 'key.pem');
    await promisify(execFile)(OPENSSL, [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
      '-days', '1', '-subj', '/CN=berth dashboard test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:dash.test',
    ]);
    cert = await readFile(certFile, 'utf8');
    daemon = await startBerthd(root, socket, ['--cgroup-parent', `/${testCgroupName()}`]);
    const flags = await readDashboardFlags({ dashboardAddr: '0.0.0.0:0', dashboardTlsCert: certFile, dashboardTlsKey: keyFile });
    assert.ok(flags?.tls !== undefined, 'the flags give the dashboard its TLS');
    dashboard = await startDashboard({ ...flags, root, socketPath: socket, log: (message) => { process.stderr.write(`${message}\n`); } });
    port = Number(new URL(dashboard.url).port);
    token = new URL(dashboard.loginUrl).searchParams.get('token') ?? '';
  });
  after(async () => {
    await dashboard?.close();
    await daemon?.stop();
    await sweepLeftovers();
    await rm(work, { recursive: true, force: true });
  });

  test('berth dashboard url prints the https URL, named as the certificate names the dashboard', async () => {
    const printed = (await berthCli(['--root', root, 'dashboard', 'url'])).trim();
    assert.match(printed, new RegExp(`^https://dash\\.test:${port}/login\\?token=[A-Za-z0-9_-]{32,}$`));
    assert.equal(printed, dashboard?.loginUrl);
  });

  test('HTTPS answers the token, and 401 without it', async () => {
    assert.equal((await get('/')).status, 401);
    assert.equal((await get('/api/overview')).status, 401);
    assert.equal((await get('/api/overview', { headers: { authorization: 'Bearer not-the-token-not-the-token-not-the-token' } })).status, 401);
    const home = await get('/', { headers: bearer() });
    assert.equal(home.status, 200);
    assert.match(home.body, /<title>berth dashboard<\/title>/);
    const overview = await get('/api/overview', { headers: bearer() });
    assert.equal(overview.status, 200, overview.body);
    assert.equal((JSON.parse(overview.body) as { containers: { total: number } }).containers.total, 0, 'berthd\'s answer, through the socket');
    assert.equal((await get('/', { name: '127.0.0.1', headers: bearer() })).status, 200, 'the certificate\'s address serves as well as its name');
  });

  test('the login sets a Secure cookie that lets the browser in', async () => {
    const login = await get(`/login?token=${token}`);
    assert.equal(login.status, 303);
    const setCookie = String(login.headers['set-cookie'] ?? '');
    assert.match(setCookie, /^berth_dashboard=[^;]+; HttpOnly; SameSite=Strict; Path=\/; Secure$/);
    assert.equal((await get('/api/overview', { headers: { cookie: setCookie.split(';')[0] ?? '' } })).status, 200);
  });

  test('a Host that is none of the certificate\'s names is refused, token or not', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `10.9.8.7:${port}`, `0.0.0.0:${port}`, `dash.test.evil.example:${port}`]) {
      const answer = await get('/', { host, headers: bearer() });
      assert.equal(answer.status, 403, host);
      assert.match(answer.body, /loopback or to a name of its certificate/);
      assert.equal((await get(`/login?token=${token}`, { host })).status, 403, host);
    }
  });

  test('plain HTTP is not served', async () => {
    const plain = await new Promise<string>((resolve) => {
      httpRequest({ host: '127.0.0.1', port, path: '/', headers: bearer() }, (response) => {
        response.resume();
        resolve(`answered ${response.statusCode ?? 0}`);
      }).on('error', (err) => { resolve(`refused: ${err.message}`); }).end();
    });
    assert.match(plain, /^refused: /);
    assert.equal((await get('/', { headers: bearer() })).status, 200, 'HTTPS still serves after it');
  });
});
