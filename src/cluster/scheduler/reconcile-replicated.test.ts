import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, makeTask, nodeMap, T0 } from '../../../test/support/cluster-fixtures.js';
import type { Service } from '../objects/service.js';
import type { Task } from '../objects/task.js';
import { reconcileReplicated } from './reconcile-replicated.js';
import type { Reconciliation } from './reconciliation.js';

const nodes = nodeMap([makeNode('a'), makeNode('b'), makeNode('c')]);
const replicated = (replicas: number, restart: Record<string, unknown> = {}): Service =>
  makeService('web', { mode: { kind: 'replicated', replicas }, taskTemplate: { containerSpec: { image: 'x' }, restartPolicy: restart } });

/** Applies a reconciliation the way a controller would, with running tasks and ids t<n>. */
function apply(service: Service, tasks: Task[], r: Reconciliation): Task[] {
  let next = tasks.map((task) => (r.shutdown.some((s) => s.taskId === task.id) || r.replace.some((s) => s.taskId === task.id) ? { ...task, desiredState: 'shutdown' as const } : task));
  let id = tasks.length;
  for (const c of r.create) next = [...next, makeTask(`t${++id}`, service, { slot: c.slot ?? 0, nodeId: 'a' })];
  for (const s of r.replace) next = [...next, makeTask(`t${++id}`, service, { slot: tasks.find((t) => t.id === s.taskId)?.slot ?? 0, nodeId: 'b' })];
  return next;
}

const liveSlots = (tasks: Task[]): number[] => tasks.filter((t) => t.desiredState === 'running' && t.status.state === 'running').map((t) => t.slot ?? 0).sort((a, b) => a - b);

test('scale 6 → 10 → 3', () => {
  let tasks: Task[] = [];
  let service = replicated(6);
  let r = reconcileReplicated(service, tasks, nodes, T0);
  assert.deepEqual(r.create, [1, 2, 3, 4, 5, 6].map((slot) => ({ slot })));
  tasks = apply(service, tasks, r);
  assert.deepEqual(reconcileReplicated(service, tasks, nodes, T0), { create: [], shutdown: [], replace: [] }, 'converged: nothing to do');

  service = replicated(10);
  r = reconcileReplicated(service, tasks, nodes, T0);
  assert.deepEqual(r.create, [7, 8, 9, 10].map((slot) => ({ slot })));
  tasks = apply(service, tasks, r);

  service = replicated(3);
  r = reconcileReplicated(service, tasks, nodes, T0);
  assert.equal(r.shutdown.length, 7);
  assert.ok(r.shutdown.every((s) => s.reason === 'scale-down'));
  tasks = apply(service, tasks, r);
  assert.deepEqual(liveSlots(tasks), [1, 2, 3], 'the highest slots go first when all else is equal');
});

test('scale-down removes pending slots first, then from the most loaded node', () => {
  const service = replicated(2);
  const tasks = [
    makeTask('t1', service, { slot: 1, nodeId: 'a' }), makeTask('t2', service, { slot: 2, nodeId: 'a' }),
    makeTask('t3', service, { slot: 3, nodeId: 'b' }), makeTask('t4', service, { slot: 4 }),
  ];
  const r = reconcileReplicated(service, tasks, nodes, T0);
  assert.deepEqual(r.shutdown.map((s) => s.taskId).sort(), ['t2', 't4']);
});

test('scale-down keeps the survivors spread: each removal sees the load the ones before it left', () => {
  const service = replicated(2);
  const tasks = [
    makeTask('t1', service, { slot: 1, nodeId: 'a' }), makeTask('t2', service, { slot: 2, nodeId: 'a' }), makeTask('t3', service, { slot: 3, nodeId: 'a' }),
    makeTask('t4', service, { slot: 4, nodeId: 'b' }), makeTask('t5', service, { slot: 5, nodeId: 'b' }),
  ];
  const removed = new Set(reconcileReplicated(service, tasks, nodes, T0).shutdown.map((s) => s.taskId));
  const survivors = tasks.filter((t) => !removed.has(t.id)).map((t) => t.nodeId).sort();
  assert.deepEqual(survivors, ['a', 'b']);
});

test('a failed task is replaced in its slot; restart policies none, on-failure and max attempts', () => {
  const tasks = [makeTask('t1', replicated(2), { slot: 1, nodeId: 'a' }), makeTask('t2', replicated(2), { slot: 2, nodeId: 'b', state: 'failed' })];
  assert.deepEqual(reconcileReplicated(replicated(2), tasks, nodes, T0), { create: [], shutdown: [], replace: [{ taskId: 't2', reason: 'task-ended', delayNs: 5_000_000_000 }] });
  assert.deepEqual(reconcileReplicated(replicated(2, { condition: 'none' }), tasks, nodes, T0), { create: [], shutdown: [], replace: [] }, 'none: the slot stays dead and is not refilled');
  const completed = [tasks[0]!, { ...tasks[1]!, status: { ...tasks[1]!.status, state: 'complete' as const } }];
  assert.equal(reconcileReplicated(replicated(2, { condition: 'on-failure' }), completed, nodes, T0).replace.length, 0);
  assert.equal(reconcileReplicated(replicated(2, { condition: 'on-failure' }), tasks, nodes, T0).replace.length, 1);
  const history = [...tasks, makeTask('t0', replicated(2), { slot: 2, nodeId: 'b', state: 'failed', desiredState: 'shutdown' })];
  assert.equal(reconcileReplicated(replicated(2, { maxAttempts: 2 }), history, nodes, T0).replace.length, 1, 'first run + 1 restart so far');
  const more = [...history, makeTask('t00', replicated(2), { slot: 2, nodeId: 'b', state: 'failed', desiredState: 'shutdown' })];
  assert.equal(reconcileReplicated(replicated(2, { maxAttempts: 2 }), more, nodes, T0).replace.length, 0, 'attempts used up');
});

test('tasks of a down node are replaced only once the node is declared down', () => {
  const service = replicated(2);
  const tasks = [makeTask('t1', service, { slot: 1, nodeId: 'a' }), makeTask('t2', service, { slot: 2, nodeId: 'c' })];
  const unknown = nodeMap([makeNode('a'), makeNode('c', { state: 'unknown' })]);
  assert.deepEqual(reconcileReplicated(service, tasks, unknown, T0), { create: [], shutdown: [], replace: [] }, 'a missed heartbeat moves nothing');
  const down = nodeMap([makeNode('a'), makeNode('c', { state: 'down' })]);
  assert.deepEqual(reconcileReplicated(service, tasks, down, T0).replace, [{ taskId: 't2', reason: 'node-down', delayNs: 0 }]);
  const drained = nodeMap([makeNode('a'), makeNode('c', { availability: 'drain' })]);
  assert.deepEqual(reconcileReplicated(service, tasks, drained, T0).replace, [{ taskId: 't2', reason: 'node-drained', delayNs: 0 }]);
  assert.deepEqual(reconcileReplicated(service, tasks, nodeMap([makeNode('a')]), T0).replace, [{ taskId: 't2', reason: 'node-removed', delayNs: 0 }]);
});

test('a node that comes back with an old task: the duplicate in its slot is shut down', () => {
  const service = replicated(1);
  const old = makeTask('t1', service, { slot: 1, nodeId: 'c', createdAt: T0 });
  const successor = makeTask('t2', service, { slot: 1, nodeId: 'a', createdAt: new Date(T0.getTime() + 1000) });
  const r = reconcileReplicated(service, [old, successor], nodes, T0);
  assert.deepEqual(r.shutdown, [{ taskId: 't1', reason: 'duplicate' }]);
});

test('with a disruption limit a drained node\'s running task is handed over: its successor first, then it stops', () => {
  const limited = makeService('web', { mode: { kind: 'replicated', replicas: 2 }, minAvailable: 2, taskTemplate: { containerSpec: { image: 'x' } } });
  const drained = nodeMap([makeNode('a', { availability: 'drain' }), makeNode('b')]);
  const tasks = [makeTask('t1', limited, { slot: 1, nodeId: 'a' }), makeTask('t2', limited, { slot: 2, nodeId: 'b' })];
  const first = reconcileReplicated(limited, tasks, drained, T0);
  assert.deepEqual(first, { create: [], shutdown: [], replace: [], handover: [{ taskId: 't1' }] }, 'the drained task keeps running');
  const successor = makeTask('t3', limited, { slot: 1, nodeId: 'b', state: 'starting' });
  assert.deepEqual(reconcileReplicated(limited, [...tasks, successor], drained, T0), { create: [], shutdown: [], replace: [] }, 'held until the successor runs');
  const runningSuccessor = { ...successor, status: { ...successor.status, state: 'running' as const } };
  assert.deepEqual(reconcileReplicated(limited, [...tasks, runningSuccessor], drained, T0).shutdown, [{ taskId: 't1', reason: 'node-drained' }]);
  const unlimited = makeService('web', { mode: { kind: 'replicated', replicas: 2 }, taskTemplate: { containerSpec: { image: 'x' } } });
  assert.deepEqual(reconcileReplicated(unlimited, tasks, drained, T0).replace, [{ taskId: 't1', reason: 'node-drained', delayNs: 0 }], 'without a limit: stopped and replaced at once');
});
