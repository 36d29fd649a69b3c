import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { authorize, cookieValue, type AuthDecision, type DashboardSite } from './dashboard-auth.js';
import { checkDashboardTls, hostsServedWith } from './dashboard-tls.js';
import { selfSignedCertificate } from './dashboard-tls.test-support.js';
import { DashboardToken } from './dashboard-token.js';

const SECRET = 'T'.repeat(43);
const token = new DashboardToken(SECRET);
const HOST = '127.0.0.1:9330';

function decide(method: string, target: string, headers: IncomingHttpHeaders = {}, site?: DashboardSite): AuthDecision {
  const url = new URL(target, 'http://x');
  return authorize({ method, path: url.pathname, query: url.searchParams, headers: { host: HOST, ...headers } }, token, site);
}
const status = (decision: AuthDecision): number | string => (decision.kind === 'deny' ? decision.status : decision.kind);

test('the login URL sets a strict, HttpOnly session cookie and sends the browser home', () => {
  const decision = decide('GET', `/login?token=${SECRET}`);
  if (decision.kind !== 'login') assert.fail(`not a login: ${decision.kind}`);
  assert.equal(decision.location, '/');
  assert.equal(decision.setCookie, `berth_dashboard=${SECRET}; HttpOnly; SameSite=Strict; Path=/`);
  assert.equal(status(decide('GET', '/login?token=wrong')), 401);
  assert.equal(status(decide('GET', '/login')), 401);
  assert.equal(status(decide('POST', `/login?token=${SECRET}`)), 401);
});

test('pages, scripts and API calls without the token answer 401', () => {
  for (const path of ['/', '/dashboard.js', '/api/overview', '/api/containers/x/stop', '/nothing']) {
    assert.equal(status(decide('GET', path)), 401, path);
    assert.equal(status(decide('GET', path, { cookie: 'berth_dashboard=wrong' })), 401, path);
    assert.equal(status(decide('GET', path, { authorization: 'Bearer wrong' })), 401, path);
  }
});

test('the cookie or a bearer header lets reads through', () => {
  assert.equal(status(decide('GET', '/api/overview', { cookie: `theme=dark; berth_dashboard=${SECRET}` })), 'allow');
  assert.equal(status(decide('GET', '/api/overview', { authorization: `Bearer ${SECRET}` })), 'allow');
  assert.equal(status(decide('HEAD', '/', { authorization: `bearer ${SECRET}` })), 'allow');
});

test('actions need the page\'s header and, when the browser names one, the dashboard\'s own origin', () => {
  const cookie = `berth_dashboard=${SECRET}`;
  assert.equal(status(decide('POST', '/api/containers/x/stop', { cookie })), 403);
  assert.equal(status(decide('POST', '/api/containers/x/stop', { cookie, 'x-berth-dashboard': '1' })), 'allow');
  assert.equal(status(decide('POST', '/api/containers/x/stop', { cookie, 'x-berth-dashboard': '1', origin: `http://${HOST}` })), 'allow');
  assert.equal(status(decide('POST', '/api/containers/x/stop', { cookie, 'x-berth-dashboard': '1', origin: 'http://evil.example' })), 403);
  assert.equal(status(decide('POST', '/api/containers/x/stop', { 'x-berth-dashboard': '1' })), 401, 'the header is no credential');
});

test('requests addressed to a name other than loopback are refused, token or not (DNS rebinding)', () => {
  assert.equal(status(decide('GET', '/', { host: 'evil.example:9330', cookie: `berth_dashboard=${SECRET}` })), 403);
  assert.equal(status(decide('GET', `/login?token=${SECRET}`, { host: 'evil.example' })), 403);
  assert.equal(status(decide('GET', '/', { host: 'localhost:9330', authorization: `Bearer ${SECRET}` })), 'allow');
});

test('over TLS, the certificate\'s names and the bound address are the dashboard\'s too; the cookie is Secure; Origin is https', async () => {
  const cert = checkDashboardTls(await selfSignedCertificate({ dns: ['dash.test'], ips: ['127.0.0.1', '192.0.2.10'] }));
  const site: DashboardSite = { secure: true, allowsHost: hostsServedWith('198.51.100.7', cert) };
  const bearer = { authorization: `Bearer ${SECRET}` };
  for (const host of ['dash.test:9330', 'DASH.TEST', '192.0.2.10:9330', '198.51.100.7:9330', '127.0.0.1:9330', 'localhost', '[::1]:9330']) {
    assert.equal(status(decide('GET', '/', { host, ...bearer }, site)), 'allow', host);
  }
  for (const host of ['evil.example:9330', 'dash.test.evil.example', '192.0.2.11:9330', '0.0.0.0:9330', '[fd00::1]:9330', 'a:b:c']) {
    assert.equal(status(decide('GET', '/', { host, ...bearer }, site)), 403, host);
    assert.equal(status(decide('GET', `/login?token=${SECRET}`, { host }, site)), 403, host);
  }
  assert.equal(status(decide('GET', '/', { host: 'dash.test:9330' }, site)), 401, 'a name of the certificate is no credential');
  assert.equal(status(decide('GET', '/', { host: 'dash.test:9330', ...bearer })), 403, 'without TLS only loopback');
  const login = decide('GET', `/login?token=${SECRET}`, { host: 'dash.test:9330' }, site);
  if (login.kind !== 'login') assert.fail(`not a login: ${login.kind}`);
  assert.equal(login.setCookie, `berth_dashboard=${SECRET}; HttpOnly; SameSite=Strict; Path=/; Secure`);
  const action = { host: 'dash.test:9330', cookie: `berth_dashboard=${SECRET}`, 'x-berth-dashboard': '1' };
  assert.equal(status(decide('POST', '/api/containers/x/stop', { ...action, origin: 'https://dash.test:9330' }, site)), 'allow');
  assert.equal(status(decide('POST', '/api/containers/x/stop', { ...action, origin: 'http://dash.test:9330' }, site)), 403, 'an http page is another origin');
});

test('cookie headers', () => {
  assert.equal(cookieValue('a=1; berth_dashboard=xyz; b=2', 'berth_dashboard'), 'xyz');
  assert.equal(cookieValue('xberth_dashboard=1', 'berth_dashboard'), undefined);
  assert.equal(cookieValue(undefined, 'berth_dashboard'), undefined);
});
