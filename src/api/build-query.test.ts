import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildEvent } from '../build/builder.js';
import { buildFlag, buildParam, cacheFromParam, extraHostsParam, jsonMapParam, networkModeParam } from './build-query.js';
import { buildEventText } from './streams/build-stream.js';

test('build parameters: the first of a repeated one, cachefrom, extrahosts, networkmode', () => {
  assert.equal(buildParam({ dockerfile: ['Dockerfile', 'other'] }, 'dockerfile'), 'Dockerfile');
  assert.equal(buildFlag({ q: ['1', '0'] }, 'q'), true);
  assert.deepEqual(jsonMapParam({ labels: ['{"v":"first"}', '{"v":"second"}'] }, 'labels'), { v: 'first' });
  assert.deepEqual(jsonMapParam({ buildargs: '{"A":"1","B":null}' }, 'buildargs'), { A: '1' });
  assert.deepEqual(cacheFromParam({ cachefrom: '["app:1","","app:2"]' }), ['app:1', 'app:2']);
  assert.deepEqual(cacheFromParam({}), []);
  assert.throws(() => cacheFromParam({ cachefrom: '{"a":1}' }), /cachefrom/);
  assert.deepEqual(extraHostsParam({ extrahosts: ['a:10.0.0.1', 'b:host-gateway', 'c:::1'] }), ['a:10.0.0.1', 'b:host-gateway', 'c:::1']);
  assert.throws(() => extraHostsParam({ extrahosts: 'bad' }), /bad format for add-host: "bad"/);
  assert.throws(() => extraHostsParam({ extrahosts: 'a:not-an-ip' }), /invalid IP address in add-host: "not-an-ip"/);
  assert.equal(networkModeParam({}), 'bridge');
  assert.equal(networkModeParam({ networkmode: 'default' }), 'bridge');
  assert.equal(networkModeParam({ networkmode: 'host' }), 'host');
  assert.deepEqual(networkModeParam({ networkmode: 'my-net' }), { network: 'my-net' });
  assert.throws(() => networkModeParam({ networkmode: 'container:x' }), /cannot join/);
});

test('RUN output on stderr in the classic builder\'s red; a line never ended gets no newline', () => {
  const event = (partial: boolean, stream: 'stdout' | 'stderr'): BuildEvent => ({ kind: 'output', text: 'x', stream, partial });
  assert.equal(buildEventText(event(false, 'stdout')), 'x\n');
  assert.equal(buildEventText(event(false, 'stderr')), '\u001b[91mx\n\u001b[0m');
  assert.equal(buildEventText(event(true, 'stderr')), '\u001b[91mx\u001b[0m');
  assert.equal(buildEventText({ kind: 'step', text: 'Step 1/2 : FROM busybox' }), 'Step 1/2 : FROM busybox\n');
});
