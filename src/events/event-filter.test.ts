import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventMatches } from './event-filter.js';
import type { NodeEvent } from './event-types.js';

const event = (type: NodeEvent['type'], action: string, id: string, attributes: Record<string, string>): NodeEvent =>
  ({ seq: 1, type, action, actor: { id, attributes }, scope: 'local', timeNano: 1n });
const f = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

const start = event('container', 'start', 'abc123', { name: 'web', image: 'busybox', tier: 'front' });
const health = event('container', 'health_status: healthy', 'abc123', { name: 'web', image: 'busybox' });
const tag = event('image', 'tag', 'sha256:ff', { name: 'docker.io/library/busybox:latest' });

test('type, event, scope', () => {
  assert.ok(eventMatches(start, f({ type: ['container'] })));
  assert.ok(!eventMatches(tag, f({ type: ['container'] })));
  assert.ok(eventMatches(start, f({ event: ['stop', 'start'] })));
  assert.ok(!eventMatches(start, f({ event: ['die'] })));
  assert.ok(eventMatches(health, f({ event: ['health_status'] })));
  assert.ok(eventMatches(health, f({ event: ['health_status: healthy'] })));
  assert.ok(!eventMatches(health, f({ event: ['health_status: unhealthy'] })));
  assert.ok(eventMatches(start, f({ scope: ['local'] })));
  const detection = event('container', 'detection: shell_spawned', 'abc123', { name: 'web', rule: 'shell_spawned' });
  assert.ok(eventMatches(detection, f({ event: ['detection'] })));
  assert.ok(eventMatches(detection, f({ event: ['detection: shell_spawned'] })));
  assert.ok(!eventMatches(detection, f({ event: ['detection: raw_socket'] })));
});

test('container by id prefix or name prefix', () => {
  assert.ok(eventMatches(start, f({ container: ['abc'] })));
  assert.ok(eventMatches(start, f({ container: ['web'] })));
  assert.ok(!eventMatches(start, f({ container: ['db'] })));
  assert.ok(!eventMatches(tag, f({ container: ['web'] })));
});

test('image by id, name, familiar name, without tag', () => {
  assert.ok(eventMatches(start, f({ image: ['busybox'] })));
  assert.ok(eventMatches(tag, f({ image: ['busybox:latest'] })));
  assert.ok(eventMatches(tag, f({ image: ['busybox'] })));
  assert.ok(eventMatches(tag, f({ image: ['sha256:ff'] })));
  assert.ok(!eventMatches(tag, f({ image: ['alpine'] })));
});

test('labels: key or key=value, all must match; keys AND, values OR', () => {
  assert.ok(eventMatches(start, f({ label: ['tier'] })));
  assert.ok(eventMatches(start, f({ label: ['tier=front'] })));
  assert.ok(!eventMatches(start, f({ label: ['tier=back'] })));
  assert.ok(!eventMatches(start, f({ label: ['tier', 'zone'] })));
  assert.ok(!eventMatches(start, f({ type: ['container'], event: ['die'] })));
});

test('unknown keys are ignored, as dockerd ignores them', () => {
  assert.ok(eventMatches(start, f({ colour: ['red'] })));
});

test('named filters match the id or name of events of any type, as dockerd', () => {
  const network = event('network', 'create', 'n123', { name: 'webnet', type: 'bridge' });
  assert.ok(eventMatches(network, f({ container: ['web'] })));
  assert.ok(eventMatches(network, f({ network: ['n1'] })));
  assert.ok(!eventMatches(network, f({ volume: ['db'] })));
});

test('event values match by prefix once one of them is health_status, exec_create or exec_start', () => {
  const exec = event('container', 'exec_die', 'abc123', { name: 'web' });
  assert.ok(!eventMatches(exec, f({ event: ['exec'] })));
  assert.ok(eventMatches(exec, f({ event: ['exec', 'health_status'] })));
});
