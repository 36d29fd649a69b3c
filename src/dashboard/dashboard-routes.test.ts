import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DASHBOARD_ROUTES, matchRoute, type RouteMatch, type UpstreamCall } from './dashboard-routes.js';

function upstreamOf(match: RouteMatch): UpstreamCall | string {
  if (match.kind !== 'route') return match.kind;
  return match.route.target.kind === 'proxy' ? match.route.target.upstream(match.params) : match.route.target.kind;
}

test('the allow-list maps each dashboard call onto one berthd call', () => {
  assert.deepEqual(upstreamOf(matchRoute('GET', '/api/containers')), { method: 'GET', path: '/containers/json', query: { all: true } });
  assert.deepEqual(upstreamOf(matchRoute('GET', '/api/containers/web')), { method: 'GET', path: '/containers/web/json' });
  assert.deepEqual(upstreamOf(matchRoute('POST', '/api/containers/web/stop')), { method: 'POST', path: '/containers/web/stop' });
  assert.deepEqual(upstreamOf(matchRoute('POST', '/api/containers/web/remove')), { method: 'DELETE', path: '/containers/web', query: { force: true } });
  assert.deepEqual(upstreamOf(matchRoute('GET', '/api/images/docker.io%2Flibrary%2Fbusybox%3Alatest/history')), { method: 'GET', path: '/images/docker.io/library/busybox:latest/history' });
  assert.deepEqual(upstreamOf(matchRoute('GET', '/api/images/sha256%3Aabc/sbom')), { method: 'POST', path: '/berth/v1/images/sha256:abc/sbom', query: { format: 'cyclonedx' } });
  assert.equal(upstreamOf(matchRoute('GET', '/api/containers/web/stats')), 'stats');
  assert.equal(upstreamOf(matchRoute('GET', '/api/events')), 'events');
  assert.equal(upstreamOf(matchRoute('HEAD', '/api/overview')), 'overview');
});

test('every action is a POST and every GET is proxied to a read', () => {
  for (const route of DASHBOARD_ROUTES) {
    if (route.target.kind !== 'proxy') {
      assert.equal(route.method, 'GET', route.pattern);
      continue;
    }
    const call = route.target.upstream({ id: 'c', ref: 'i' });
    // The one GET that berthd serves as a POST computes an SBOM, which changes nothing.
    if (route.method === 'GET' && call.method !== 'GET') assert.match(call.path, /\/sbom$/, route.pattern);
    if (call.method === 'DELETE') assert.equal(route.method, 'POST', route.pattern);
  }
});

test('anything off the list is not found; a listed path with another method is not allowed', () => {
  assert.equal(matchRoute('GET', '/api/containers/web/exec').kind, 'not-found');
  assert.equal(matchRoute('POST', '/api/containers/create').kind, 'method-not-allowed');
  assert.equal(matchRoute('GET', '/api/containers/web/stop').kind, 'method-not-allowed', 'actions are never GETs');
  assert.equal(matchRoute('DELETE', '/api/containers/web').kind, 'method-not-allowed');
  assert.equal(matchRoute('GET', '/api/system/info').kind, 'not-found');
  assert.equal(matchRoute('GET', '/api/secrets').kind, 'not-found');
});

test('parameters cannot smuggle another path', () => {
  for (const path of ['/api/containers/..%2F..%2Fsecrets', '/api/containers/a%2Fb', '/api/containers/%2e%2e', '/api/containers/x%3Fall%3D1', '/api/containers/%E0%A4%A', '/api/images/a..b/history', '/api/images/x%3Fq/history']) {
    const match = matchRoute('GET', path);
    assert.notEqual(match.kind, 'route', path);
  }
  assert.equal(matchRoute('GET', '/api/containers/..').kind, 'bad-parameter');
});
