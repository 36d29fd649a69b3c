import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { ApiMetrics, operationOf } from './api-metrics.js';

test('operations are told apart by method, route pattern, path and status', () => {
  assert.equal(operationOf('POST', '/containers/:id/start', '/v1.43/containers/web/start', 204), 'start');
  assert.equal(operationOf('POST', '/containers/:id/start', '/containers/web/start', 304), undefined);
  assert.equal(operationOf('POST', '/images/create', '/images/create?fromImage=busybox&tag=latest', 200), 'pull');
  assert.equal(operationOf('POST', '/images/create', '/images/create?fromSrc=-', 200), undefined);
  assert.equal(operationOf('POST', '/images/*', '/images/localhost:5000/app/push?tag=1', 200), 'push');
  assert.equal(operationOf('POST', '/images/*', '/images/app/tag?repo=x', 201), undefined);
  assert.equal(operationOf('POST', '/build', '/build?t=app', 200), 'build');
  assert.equal(operationOf('POST', '/build', '/build', 500), undefined);
  assert.equal(operationOf('GET', '/containers/json', '/containers/json', 200), undefined);
});

test('requests are counted by route pattern, unmatched ones under one label', async () => {
  const registry = new Registry();
  const api = new ApiMetrics(registry);
  api.observe('POST', '/containers/:id/start', '/containers/a/start', 204, 0.2);
  api.observe('POST', '/containers/:id/start', '/containers/b/start', 204, 0.3);
  api.observe('GET', undefined, '/nope/123', 404, 0.001);
  const text = await registry.metrics();
  assert.match(text, /^berth_api_requests_total\{method="POST",route="\/containers\/:id\/start",status="204"\} 2$/m);
  assert.match(text, /^berth_api_requests_total\{method="GET",route="unmatched",status="404"\} 1$/m);
  assert.match(text, /^berth_container_start_duration_seconds_count 2$/m);
  assert.match(text, /^berth_container_start_duration_seconds_bucket\{le="0.25"\} 1$/m);
  assert.doesNotMatch(text, /\/containers\/a\/start/);
});
