import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { authorize, cookieValue, type AuthDecision } from './dashboard-auth.js';
import { DashboardToken } from './dashboard-token.js';

const SECRET = 'T'.repeat(43);
const token = new DashboardToken(SECRET);
const HOST = '127.0.0.1:9330';

function decide(method: string, target: string, headers: IncomingHttpHeaders = {}): AuthDecision {
  const url = new URL(target, 'http://x');
  return authorize({ method, path: url.pathname, query: url.searchParams, headers: { host: HOST, ...headers } }, token);
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

test('cookie headers', () => {
  assert.equal(cookieValue('a=1; berth_dashboard=xyz; b=2', 'berth_dashboard'), 'xyz');
  assert.equal(cookieValue('xberth_dashboard=1', 'berth_dashboard'), undefined);
  assert.equal(cookieValue(undefined, 'berth_dashboard'), undefined);
});
