import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, makeTask, T0 } from '../../../test/support/cluster-fixtures.js';
import { isTerminalTaskState, newTask, successorOf, taskSchema } from './task.js';

test('task states: running and before are live, the rest are ends', () => {
  assert.equal(isTerminalTaskState('running'), false);
  assert.equal(isTerminalTaskState('pending'), false);
  for (const state of ['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove'] as const) assert.equal(isTerminalTaskState(state), true);
});

test('a new task copies the service template and validates', () => {
  const service = makeService('svc1');
  const task = newTask(service, { id: 't1', now: T0, slot: 3 });
  assert.equal(task.slot, 3);
  assert.equal(task.status.state, 'new');
  assert.equal(task.desiredState, 'running');
  assert.notEqual(task.spec, service.spec.taskTemplate, 'a copy, not shared');
  assert.deepEqual(taskSchema.parse(task), task);
});

test('the successor takes the slot, not the node, and leaves its predecessor unchanged', () => {
  const service = makeService('svc1');
  const old = makeTask('t1', service, { slot: 2, nodeId: 'n1', state: 'failed' });
  const before = structuredClone(old);
  const later = new Date(T0.getTime() + 1000);
  const next = successorOf(old, { id: 't2', now: later, keepNode: false });
  assert.deepEqual(old, before);
  assert.equal(next.slot, 2);
  assert.equal(next.nodeId, undefined);
  assert.equal(next.status.state, 'new');
  assert.equal(next.createdAt, later.toISOString());
  assert.match(next.status.message, /replaces task t1/);
  assert.equal(successorOf(old, { id: 't3', now: later, keepNode: true }).nodeId, 'n1', 'global tasks stay on their node');
});
