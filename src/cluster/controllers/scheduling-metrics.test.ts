import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, makeTask } from '../../../test/support/cluster-fixtures.js';
import { putTask, type Change } from './changes.js';
import { PlaneHarness } from './control-plane.test-support.js';
import { schedulingDelays } from './task-scheduling.js';

test('the scheduling delay of an assignment is from the task\'s creation to the commit; other changes have none', () => {
  const web = makeService('web');
  const created = new Date('2026-01-01T00:00:00.000Z');
  const task = makeTask('t1', web, { slot: 1, createdAt: created });
  const changes: Change[] = [
    putTask({ ...task, nodeId: 'n1', status: { ...task.status, state: 'assigned' } }),
    putTask({ ...task, id: 't2', status: { ...task.status, state: 'pending', message: 'no suitable node' } }),
    putTask({ ...task, id: 't3', createdAt: '2026-01-01T00:00:09.000Z', nodeId: 'n1', status: { ...task.status, state: 'assigned' } }),
    { op: 'check', kind: 'node', id: 'n1', expect: 3 },
  ];
  assert.deepEqual(schedulingDelays(changes, new Date(created.getTime() + 1_500)), [1.5, 0]);
});

test('the control plane reports each assignment once it landed, with the time the task waited', async () => {
  const delays: number[] = [];
  const web = makeService('web', { mode: { kind: 'replicated', replicas: 2 } });
  const plane = await PlaneHarness.start({ services: [web], onTaskScheduled: (seconds) => { delays.push(seconds); } });
  assert.equal((await plane.tasks('web')).filter((t) => t.status.state === 'pending').length, 2, 'no node yet');
  assert.deepEqual(delays, []);

  await plane.time.advance(5_000);
  await plane.put('node', makeNode('n1'));
  await plane.heartbeats.beat('n1', 5);
  await plane.settle();
  assert.equal((await plane.tasks('web')).filter((t) => t.status.state === 'assigned').length, 2);
  assert.deepEqual(delays, [5, 5]);

  await plane.put('service', { ...(await plane.service('web')), spec: makeService('web', { mode: { kind: 'replicated', replicas: 3 } }).spec });
  await plane.settle();
  assert.deepEqual(delays, [5, 5, 0], 'a task made and placed in one pass waited no time on this clock');
  await plane.stop();
});
