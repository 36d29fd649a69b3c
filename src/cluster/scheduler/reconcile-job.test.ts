import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, nodeMap, T0 } from '../../../test/support/cluster-fixtures.js';
import type { Service, ServiceSpecInput } from '../objects/service.js';
import { newTask, type Task, type TaskState } from '../objects/task.js';
import { reconcileGlobalJob, reconcileReplicatedJob } from './reconcile-job.js';
import type { Reconciliation } from './reconciliation.js';

const nodes = nodeMap([makeNode('a'), makeNode('b'), makeNode('c')]);

function job(mode: ServiceSpecInput['mode'], iteration: number, extra: Partial<ServiceSpecInput> = {}, restart: Record<string, unknown> = {}): Service {
  const service = makeService('batch', { mode, taskTemplate: { containerSpec: { image: 'x' }, restartPolicy: { delayNs: 0, ...restart } }, ...extra });
  return { ...service, jobStatus: { iteration, lastExecution: T0.toISOString(), message: '' } };
}

interface JobTaskOptions { slot?: number; nodeId?: string; state?: TaskState; iteration?: number; at?: Date }

function jobTask(id: string, service: Service, options: JobTaskOptions = {}): Task {
  const task = newTask(service, {
    id, now: options.at ?? T0, jobIteration: options.iteration ?? service.jobStatus?.iteration ?? 1,
    ...(options.slot === undefined ? {} : { slot: options.slot }),
    ...(options.nodeId === undefined ? {} : { nodeId: options.nodeId }),
  });
  return { ...task, status: { ...task.status, state: options.state ?? 'running' } };
}

/** A controller's application of the decision: new tasks running on node a, replaced ones shut down. */
function apply(service: Service, tasks: Task[], r: Reconciliation): Task[] {
  const stopped = new Set([...r.shutdown.map((s) => s.taskId), ...r.replace.map((s) => s.taskId)]);
  let next = tasks.map((task) => (stopped.has(task.id) ? { ...task, desiredState: 'shutdown' as const } : task));
  let id = tasks.length;
  for (const c of r.create) next = [...next, jobTask(`t${++id}`, service, { ...(c.slot === undefined ? {} : { slot: c.slot }), nodeId: c.nodeId ?? 'a' })];
  for (const s of r.replace) {
    const old = tasks.find((t) => t.id === s.taskId);
    next = [...next, jobTask(`t${++id}`, service, { ...(old?.slot === undefined ? {} : { slot: old.slot }), nodeId: old?.nodeId ?? 'a' })];
  }
  return next;
}

const withState = (tasks: Task[], id: string, state: TaskState): Task[] => tasks.map((t) => (t.id === id ? { ...t, status: { ...t.status, state } } : t));
const going = (tasks: Task[]): Task[] => tasks.filter((t) => t.desiredState === 'complete' && t.status.state === 'running');

test('a replicated job of 5 completions runs at most 2 at a time, lowest slots first, until all 5 completed', () => {
  const service = job({ kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 5 }, 1);
  let tasks: Task[] = [];
  let rounds = 0;
  for (;;) {
    const r = reconcileReplicatedJob(service, tasks, nodes, T0);
    tasks = apply(service, tasks, r);
    assert.ok(going(tasks).length <= 2, `at most 2 going, got ${going(tasks).length}`);
    const first = going(tasks)[0];
    if (first === undefined) break;
    tasks = withState(tasks, first.id, 'complete');
    rounds += 1;
    assert.ok(rounds < 20, 'the job ends');
  }
  assert.deepEqual(tasks.filter((t) => t.status.state === 'complete').map((t) => t.slot).sort(), [0, 1, 2, 3, 4], 'slots from 0, as Swarm\'s job slots');
  assert.deepEqual(reconcileReplicatedJob(service, tasks, nodes, T0), { create: [], shutdown: [], replace: [] }, 'a finished job does nothing more');
});

test('a failed job task is run again by the restart policy; a completed one never is, even under condition any', () => {
  const service = job({ kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 2 }, 1, {}, { condition: 'any' });
  const tasks = [jobTask('t1', service, { slot: 0, nodeId: 'a', state: 'complete' }), jobTask('t2', service, { slot: 1, nodeId: 'a', state: 'failed' })];
  const r = reconcileReplicatedJob(service, tasks, nodes, T0);
  assert.deepEqual(r.replace, [{ taskId: 't2', reason: 'task-ended', delayNs: 0 }]);
  assert.deepEqual(r.create, []);
});

test('a slot that failed for good (condition none) stays failed; the other slots go on up to the total', () => {
  const service = job({ kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 3 }, 1, {}, { condition: 'none' });
  const tasks = [jobTask('t1', service, { slot: 0, nodeId: 'a', state: 'failed' }), jobTask('t2', service, { slot: 1, nodeId: 'a', state: 'complete' })];
  const r = reconcileReplicatedJob(service, tasks, nodes, T0);
  assert.deepEqual(r, { create: [{ slot: 2 }], shutdown: [], replace: [] });
});

test('a job task whose node went down is placed anew; a completed one there stays done', () => {
  const down = nodeMap([makeNode('a', { state: 'down' }), makeNode('b')]);
  const service = job({ kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 2 }, 1);
  const tasks = [jobTask('t1', service, { slot: 0, nodeId: 'a', state: 'running' }), jobTask('t2', service, { slot: 1, nodeId: 'a', state: 'complete' })];
  const r = reconcileReplicatedJob(service, tasks, down, T0);
  assert.deepEqual(r, { create: [], shutdown: [], replace: [{ taskId: 't1', reason: 'node-down', delayNs: 0 }] });
});

test('a new run stops the live tasks of the earlier run and starts afresh; its completed tasks stay as history', () => {
  const service = job({ kind: 'replicated-job', maxConcurrent: 1, totalCompletions: 2 }, 2);
  const tasks = [
    jobTask('t1', service, { slot: 1, nodeId: 'a', state: 'complete', iteration: 1 }),
    jobTask('t2', service, { slot: 2, nodeId: 'a', state: 'running', iteration: 1 }),
  ];
  const r = reconcileReplicatedJob(service, tasks, nodes, T0);
  assert.deepEqual(r, { create: [{ slot: 0 }], shutdown: [{ taskId: 't2', reason: 'job-superseded' }], replace: [] });
});

test('a schedule with concurrency allow lets the earlier run go on; one that has not fired yet runs nothing', () => {
  const schedule = { cron: '*/5 * * * *', concurrency: 'allow' as const };
  const service = job({ kind: 'replicated-job', maxConcurrent: 1, totalCompletions: 1 }, 2, { schedule });
  const tasks = [jobTask('t1', service, { slot: 1, nodeId: 'a', state: 'running', iteration: 1 })];
  assert.deepEqual(reconcileReplicatedJob(service, tasks, nodes, T0), { create: [{ slot: 0 }], shutdown: [], replace: [] });
  const waiting = job({ kind: 'replicated-job', maxConcurrent: 1, totalCompletions: 1 }, 0, { schedule: { cron: '*/5 * * * *' } });
  assert.deepEqual(reconcileReplicatedJob(waiting, [], nodes, T0), { create: [], shutdown: [], replace: [] });
});

test('a global job runs once on every node eligible when the run started; a later node waits for the next run', () => {
  const later = makeNode('d');
  const all = nodeMap([makeNode('a'), makeNode('b', { availability: 'drain' }), makeNode('c'), { ...later, createdAt: new Date(T0.getTime() + 1000).toISOString() }]);
  const service = job({ kind: 'global-job' }, 1);
  const r = reconcileGlobalJob(service, [], all, T0);
  assert.deepEqual(r.create, [{ nodeId: 'a' }, { nodeId: 'c' }]);
  const tasks = [jobTask('t1', service, { nodeId: 'a', state: 'complete' }), jobTask('t2', service, { nodeId: 'c', state: 'failed' })];
  const again = reconcileGlobalJob(service, tasks, all, T0);
  assert.deepEqual(again, { create: [], shutdown: [], replace: [{ taskId: 't2', reason: 'task-ended', delayNs: 0 }] }, 'the failed one runs again on its node; the completed one is done');
});

test('a global job task on a node drained during the run is shut down and not moved', () => {
  const service = job({ kind: 'global-job' }, 1);
  const drained = nodeMap([makeNode('a', { availability: 'drain' }), makeNode('b')]);
  const tasks = [jobTask('t1', service, { nodeId: 'a', state: 'running' }), jobTask('t2', service, { nodeId: 'b', state: 'complete' })];
  assert.deepEqual(reconcileGlobalJob(service, tasks, drained, T0), { create: [], shutdown: [{ taskId: 't1', reason: 'node-drained' }], replace: [] });
  const stopped = tasks.map((t) => (t.id === 't1' ? { ...t, desiredState: 'shutdown' as const, status: { ...t.status, state: 'shutdown' as const } } : t));
  const undrained = nodeMap([makeNode('a'), makeNode('b')]);
  assert.deepEqual(reconcileGlobalJob(service, stopped, undrained, T0).create, [], 'a node that had a task in this run gets no other');
});
