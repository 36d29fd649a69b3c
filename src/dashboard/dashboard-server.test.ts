import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { isBerthError } from '../base/errors.js';
import { dashboardLoginPath } from '../client/dashboard-login.js';
import { startDashboard } from './dashboard-server.js';
import { selfSignedCertificate } from './dashboard-tls.test-support.js';

// The server without a berthd behind it: authorization, the fixed list of files, the login URL
// file, and berthd's absence reported as 503. Pages driving a real berthd: test/integration/dashboard/.
test('the dashboard server answers only its token, serves only its files, and leaves its login URL for the CLI', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'dashboard-server-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const logged: string[] = [];
  const dashboard = await startDashboard({ addr: '127.0.0.1:0', root, socketPath: join(root, 'no-berthd.sock'), log: (m) => logged.push(m) });
  let closed = false;
  t.after(async () => { if (!closed) await dashboard.close(); });

  assert.match(dashboard.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal((await readFile(dashboardLoginPath(root), 'utf8')).trim(), dashboard.loginUrl);
  assert.equal(((await stat(dashboardLoginPath(root))).mode & 0o777).toString(8), '600');
  const token = new URL(dashboard.loginUrl).searchParams.get('token') ?? '';

  assert.equal((await fetch(`${dashboard.url}/`)).status, 401);
  assert.equal((await fetch(`${dashboard.url}/vendor/uPlot.iife.min.js`)).status, 401);
  const login = await fetch(dashboard.loginUrl, { redirect: 'manual' });
  assert.equal(login.status, 303);
  assert.equal(login.headers.get('location'), '/');
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  const home = await fetch(`${dashboard.url}/`, { headers: { cookie } });
  assert.equal(home.status, 200);
  assert.match(home.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(home.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.match(await home.text(), /<title>berth dashboard<\/title>/);
  const auth = { authorization: `Bearer ${token}` };
  const uplot = await fetch(`${dashboard.url}/vendor/uPlot.iife.min.js`, { headers: auth });
  assert.equal(uplot.status, 200);
  assert.match(await uplot.text(), /uPlot/);
  for (const path of ['/index.html.bak', '/static/index.html', '/%2e%2e/package.json', '/dashboard-server.js', '/../../etc/passwd']) {
    assert.equal((await fetch(`${dashboard.url}${path}`, { headers: auth })).status, 404, path);
  }
  const overview = await fetch(`${dashboard.url}/api/overview`, { headers: auth });
  assert.equal(overview.status, 503, 'berthd not answering on its socket is unavailable');
  assert.match(((await overview.json()) as { message: string }).message, /no-berthd\.sock/);

  await dashboard.close();
  closed = true;
  await assert.rejects(access(dashboardLoginPath(root)), 'the login URL goes with the server');
  assert.ok(logged.length > 0, 'a failure to reach berthd is logged');
});

test('with a certificate the dashboard serves HTTPS and gives out an https login URL', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'dashboard-server-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const pair = await selfSignedCertificate({ dns: ['dash.test'], ips: ['127.0.0.1'] });
  const other = await selfSignedCertificate({ dns: ['dash.test'] });
  await assert.rejects(startDashboard({ addr: '127.0.0.1:0', root, socketPath: join(root, 'no-berthd.sock'), log: () => undefined, tls: { cert: pair.cert, key: other.key } }),
    (err: unknown) => isBerthError(err) && err.reason === 'dashboard-tls-key-mismatch');
  await assert.rejects(access(dashboardLoginPath(root)), 'nothing was started');
  const dashboard = await startDashboard({ addr: '127.0.0.1:0', root, socketPath: join(root, 'no-berthd.sock'), log: () => undefined, tls: pair });
  t.after(() => dashboard.close());
  assert.match(dashboard.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.match((await readFile(dashboardLoginPath(root), 'utf8')).trim(), /^https:\/\/127\.0\.0\.1:\d+\/login\?token=/);
  const { port } = new URL(dashboard.url);
  const token = new URL(dashboard.loginUrl).searchParams.get('token') ?? '';
  const get = (path: string, headers: Record<string, string> = {}): Promise<{ status: number; cookie: string }> => new Promise((resolveGet, reject) => {
    httpsRequest({ host: '127.0.0.1', port, path, ca: pair.cert, headers }, (response) => {
      response.resume();
      resolveGet({ status: response.statusCode ?? 0, cookie: String(response.headers['set-cookie'] ?? '') });
    }).on('error', reject).end();
  });
  assert.equal((await get('/')).status, 401);
  assert.equal((await get('/', { authorization: `Bearer ${token}` })).status, 200);
  const login = await get(`/login?token=${token}`);
  assert.equal(login.status, 303);
  assert.match(login.cookie, /; Secure$/);
});
