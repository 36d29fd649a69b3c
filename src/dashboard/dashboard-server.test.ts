import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dashboardLoginPath } from '../client/dashboard-login.js';
import { startDashboard } from './dashboard-server.js';

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
