import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, makeTask, nodeMap, T0 } from '../../../test/support/cluster-fixtures.js';
import type { Service, ServiceSpec, UpdateConfig } from '../objects/service.js';
import { successorOf, type Task, type TaskState } from '../objects/task.js';
import { reconcileReplicated } from './reconcile-replicated.js';
import { isUpToDate, planUpdate } from './rolling-update.js';

const nodes = nodeMap([makeNode('a'), makeNode('b')]);
const SECOND = 1000;
const config = (over: Partial<UpdateConfig> = {}): UpdateConfig => ({ parallelism: 1, delayNs: 0, failureAction: 'pause', monitorNs: 0, maxFailureRatio: 0, order: 'stop-first', ...over });

/** A cluster of one service's tasks moved by the updater and the replicated orchestrator, with a manual clock. */
class World {
  now = T0.getTime();
  tasks: Task[];
  #ids = 0;

  constructor(public service: Service, replicas: number) {
    this.tasks = Array.from({ length: replicas }, (_, i) => makeTask(`old${i + 1}`, service, { slot: i + 1, nodeId: 'a' }));
  }

  /** The service's spec changes (what an update request does): the previous spec kept, no status. */
  update(change: (spec: ServiceSpec) => ServiceSpec): void {
    this.now += SECOND;
    const { updateStatus: _status, ...rest } = this.service;
    this.service = { ...rest, version: this.service.version + 1, previousSpec: this.service.spec, spec: change(structuredClone(this.service.spec)) };
  }

  /** One pass: the updater's decision, then the orchestrator's; returns the plan's wake-up. */
  pass(): number | undefined {
    const date = new Date(this.now);
    const plan = planUpdate(this.service, this.tasks, date);
    if (plan.status !== undefined) this.service = { ...this.service, updateStatus: plan.status };
    if (plan.rollback && this.service.previousSpec !== undefined) {
      const { previousSpec, ...rest } = this.service;
      this.service = { ...rest, spec: previousSpec };
      return plan.wakeupMs;
    }
    for (const { taskId, order } of plan.replace) {
      const old = this.#task(taskId);
      const next = { ...successorOf(old, { id: `new${++this.#ids}`, now: date, spec: this.service.spec.taskTemplate, serviceVersion: this.service.version, keepNode: false }), status: { state: 'pending' as const, message: '', timestamp: date.toISOString() } };
      this.tasks.push(next);
      if (order === 'stop-first') this.#stop(old);
    }
    const r = reconcileReplicated(this.service, this.tasks, nodes, date);
    for (const { taskId } of r.shutdown) this.#stop(this.#task(taskId));
    return plan.wakeupMs;
  }

  /** The node reports `state` for a task. */
  report(taskId: string, state: TaskState, err?: string): void {
    const task = this.#task(taskId);
    Object.assign(task, { status: { state, message: state, timestamp: new Date(this.now).toISOString(), ...(err === undefined ? {} : { err }) } });
  }

  /** Every task wanted running and pending starts running. */
  startAll(): void {
    for (const task of this.tasks) if (task.desiredState === 'running' && task.status.state === 'pending') this.report(task.id, 'running');
  }

  /** The tasks wanted and running. */
  running(): string[] {
    return this.tasks.filter((t) => t.desiredState === 'running' && t.status.state === 'running').map((t) => t.id).sort();
  }

  #task(id: string): Task {
    const task = this.tasks.find((t) => t.id === id);
    assert.ok(task !== undefined, id);
    return task;
  }

  #stop(task: Task): void {
    Object.assign(task, { desiredState: 'shutdown', status: { ...task.status, state: task.status.state === 'running' || task.status.state === 'pending' ? 'shutdown' : task.status.state } });
  }
}

const stateOf = (world: World): string | undefined => world.service.updateStatus?.state;
const messageOf = (world: World): string => world.service.updateStatus?.message ?? '';

const withImage = (image: string, update: Partial<UpdateConfig> = {}, rollback: Partial<UpdateConfig> = {}) => (spec: ServiceSpec): ServiceSpec => ({
  ...spec, updateConfig: config(update), rollbackConfig: config(rollback), taskTemplate: { ...spec.taskTemplate, containerSpec: { ...spec.taskTemplate.containerSpec, image } },
});

const service = (): Service => makeService('web', { mode: { kind: 'replicated', replicas: 3 }, taskTemplate: { containerSpec: { image: 'v1' } } });

test('a spec change starts an update; parallelism 1 stop-first replaces one slot at a time, each once the last runs', () => {
  const world = new World(service(), 3);
  assert.deepEqual(planUpdate(world.service, world.tasks, T0), { replace: [], rollback: false }, 'nothing out of date: nothing to do');
  world.update(withImage('v2'));
  world.pass();
  assert.equal(stateOf(world), 'updating');
  world.pass();
  assert.deepEqual(world.running(), ['old2', 'old3'], 'slot 1 stopped first');
  world.pass();
  assert.deepEqual(world.running(), ['old2', 'old3'], 'no second slot while the first is in flight');
  world.startAll();
  world.pass();
  assert.deepEqual(world.running(), ['new1', 'old3']);
  world.startAll();
  world.pass();
  world.startAll();
  world.pass();
  assert.deepEqual(world.running(), ['new1', 'new2', 'new3']);
  assert.equal(stateOf(world), 'completed');
  assert.equal(messageOf(world), 'update completed');
  assert.ok(world.tasks.filter((t) => t.desiredState === 'running').every((t) => isUpToDate(t, world.service.spec.taskTemplate)));
});

test('start-first keeps the old task running until its successor runs; parallelism 0 replaces all at once', () => {
  const world = new World(service(), 3);
  world.update(withImage('v2', { order: 'start-first', parallelism: 0 }));
  world.pass();
  world.pass();
  assert.deepEqual(world.running(), ['old1', 'old2', 'old3'], 'the old tasks stay while the new ones start');
  assert.equal(world.tasks.filter((t) => t.desiredState === 'running').length, 6);
  world.pass();
  assert.equal(world.tasks.filter((t) => t.desiredState === 'running').length, 6, 'the orchestrator leaves the starting successors alone');
  world.report('new2', 'running');
  world.pass();
  assert.deepEqual(world.running(), ['new2', 'old1', 'old3'], 'the old task of slot 2 goes once its successor runs');
});

test('monitor: the update completes only once the new tasks ran for the monitor window; delay spaces the batches', () => {
  const world = new World(makeService('web', { mode: { kind: 'replicated', replicas: 2 }, taskTemplate: { containerSpec: { image: 'v1' } } }), 2);
  world.update(withImage('v2', { monitorNs: 10 * SECOND * 1e6, delayNs: 3 * SECOND * 1e6 }));
  world.pass();
  world.pass();
  world.startAll();
  const wait = world.pass();
  assert.equal(wait, 3 * SECOND, 'the next batch waits for the delay');
  assert.deepEqual(world.running(), ['new1', 'old2']);
  world.now += 3 * SECOND;
  world.pass();
  world.startAll();
  assert.equal(world.pass(), 10 * SECOND, 'watched for the monitor window');
  assert.equal(stateOf(world), 'updating');
  world.now += 10 * SECOND;
  world.pass();
  assert.equal(stateOf(world), 'completed');
});

test('a failed new task pauses the update (failure action pause): nothing more is replaced', () => {
  const world = new World(service(), 3);
  world.update(withImage('bad'));
  world.pass();
  world.pass();
  world.report('new1', 'failed', 'task: non-zero exit (1)');
  world.pass();
  assert.equal(stateOf(world), 'paused');
  assert.match(messageOf(world), /update paused: task new1 failed: task: non-zero exit \(1\)/);
  world.pass();
  world.pass();
  assert.deepEqual(world.running(), ['old2', 'old3'], 'the other slots keep their old tasks');
});

test('maxFailureRatio: failures up to the ratio of the slots are tolerated', () => {
  const world = new World(service(), 3);
  world.update(withImage('v2', { maxFailureRatio: 0.4, parallelism: 0 }));
  world.pass();
  world.pass();
  world.report('new1', 'failed', 'boom');
  world.pass();
  assert.equal(stateOf(world), 'updating', '1 of 3 is under 0.4');
  world.report('new2', 'failed', 'boom');
  world.pass();
  assert.equal(stateOf(world), 'paused', '2 of 3 is over 0.4');
});

test('failure action rollback restores the previous spec and keeps the old tasks that still run', () => {
  const world = new World(service(), 3);
  world.update(withImage('unhealthy', { order: 'start-first', parallelism: 1, failureAction: 'rollback' }));
  world.pass();
  world.pass();
  world.report('new1', 'failed', 'task: unhealthy container');
  world.pass();
  assert.equal(stateOf(world), 'rollback_started');
  assert.equal(messageOf(world), 'update rolled back: task new1 failed: task: unhealthy container');
  assert.equal(world.service.spec.taskTemplate.containerSpec.image, 'v1');
  assert.equal(world.service.previousSpec, undefined, 'as Swarm: no previous spec after an automatic rollback');
  world.pass();
  world.pass();
  assert.deepEqual(world.running(), ['old1', 'old2', 'old3'], 'the very same tasks');
  assert.equal(stateOf(world), 'rollback_completed');
  assert.equal(messageOf(world), 'update rolled back: task new1 failed: task: unhealthy container; rollback completed');
});

test('a rollback replaces the tasks already updated with the rollback config, and a failed rollback pauses', () => {
  const world = new World(service(), 3);
  world.update(withImage('v2', { parallelism: 2, failureAction: 'rollback' }, { parallelism: 1 }));
  world.pass();
  world.pass();
  world.report('new1', 'running');
  world.report('new2', 'failed', 'boom');
  world.pass();
  assert.equal(stateOf(world), 'rollback_started');
  world.pass();
  world.pass();
  assert.deepEqual(world.running(), ['old3'], 'slot 1 rolls back (stop-first, one at a time); slot 2 is the restart policy\'s');
  assert.equal(world.tasks.filter((t) => t.desiredState === 'running' && t.status.state === 'pending').length, 1);
  world.report('new3', 'failed', 'still bad');
  world.pass();
  assert.equal(stateOf(world), 'rollback_paused');
});

test('a force counter change makes every task out of date', () => {
  const world = new World(service(), 2);
  world.update((spec) => ({ ...spec, taskTemplate: { ...spec.taskTemplate, forceUpdate: 1 } }));
  world.pass();
  assert.equal(stateOf(world), 'updating');
  assert.equal(planUpdate(world.service, world.tasks, new Date(world.now)).replace.length, 1);
});

test('a global service is updated node by node', () => {
  const global = makeService('agent', { mode: { kind: 'global' }, taskTemplate: { containerSpec: { image: 'v1' } } });
  const tasks = ['a', 'b'].map((node) => makeTask(`t-${node}`, global, { nodeId: node }));
  const updated: Service = { ...global, previousSpec: global.spec, spec: withImage('v2')(global.spec), updateStatus: { state: 'updating', startedAt: T0.toISOString(), message: '' } };
  assert.deepEqual(planUpdate(updated, tasks, T0).replace, [{ taskId: 't-a', order: 'stop-first' }]);
  const next = { ...makeTask('n-a', updated, { nodeId: 'a', state: 'pending' }), spec: updated.spec.taskTemplate };
  const withNext = [{ ...tasks[0], desiredState: 'shutdown' as const } as Task, tasks[1] as Task, next];
  assert.deepEqual(planUpdate(updated, withNext, T0).replace, [], 'node a is in flight');
  assert.deepEqual(planUpdate(updated, withNext.map((t) => (t.id === 'n-a' ? { ...t, status: { ...t.status, state: 'running' as const } } : t)), T0).replace, [{ taskId: 't-b', order: 'stop-first' }]);
});

test('a canary updates its share of the tasks, holds after a clean monitor window, and goes on once promoted', () => {
  const world = new World(makeService('web', { mode: { kind: 'replicated', replicas: 4 }, taskTemplate: { containerSpec: { image: 'v1' } } }), 4);
  world.update(withImage('v2', { parallelism: 0, monitorNs: 2 * SECOND * 1e6, canary: { percent: 25, autoPromote: false } }));
  world.pass();
  world.pass();
  world.startAll();
  assert.deepEqual(world.running(), ['new1', 'old2', 'old3', 'old4'], '25% of 4: one task, even with parallelism 0');
  const wakeup = world.pass();
  assert.equal(wakeup, 2 * SECOND, 'the canary is watched for the monitor window');
  world.now += 2 * SECOND;
  world.pass();
  assert.equal(stateOf(world), 'paused');
  assert.equal(world.service.updateStatus?.canary, 'holding');
  assert.match(messageOf(world), /^canary: 1 of 4 tasks updated; waiting for "berth service promote web"/);
  world.pass();
  assert.deepEqual(world.running(), ['new1', 'old2', 'old3', 'old4'], 'it holds');

  // What `service promote` writes.
  const status = world.service.updateStatus;
  assert.ok(status);
  world.service = { ...world.service, updateStatus: { ...status, state: 'updating', canary: 'promoted', message: 'canary promoted' } };
  world.pass();
  world.startAll();
  world.pass();
  world.now += 2 * SECOND;
  world.pass();
  assert.deepEqual(world.running(), ['new1', 'new2', 'new3', 'new4']);
  assert.equal(stateOf(world), 'completed');
});

test('an auto-promoted canary goes on by itself after its monitor window', () => {
  const world = new World(makeService('web', { mode: { kind: 'replicated', replicas: 3 }, taskTemplate: { containerSpec: { image: 'v1' } } }), 3);
  world.update(withImage('v2', { parallelism: 0, monitorNs: SECOND * 1e6, canary: { count: 1, autoPromote: true } }));
  world.pass();
  world.pass();
  world.startAll();
  world.now += SECOND;
  world.pass();
  assert.equal(world.service.updateStatus?.canary, 'promoted');
  assert.match(messageOf(world), /^canary promoted: 1 of 3 tasks ran clean/);
  world.pass();
  world.startAll();
  world.now += SECOND;
  world.pass();
  assert.deepEqual(world.running(), ['new1', 'new2', 'new3']);
  assert.equal(stateOf(world), 'completed');
});

test('stop-first with a disruption limit never stops more tasks than the limit leaves room for', () => {
  const world = new World(makeService('web', { mode: { kind: 'replicated', replicas: 3 }, minAvailable: 2, taskTemplate: { containerSpec: { image: 'v1' } } }), 3);
  world.update(withImage('v2', { parallelism: 0 }));
  world.pass();
  world.pass();
  assert.equal(world.running().length, 2, 'parallelism 0 would stop all three; the limit of 2 lets one go');
  world.startAll();
  world.pass();
  assert.equal(world.running().length, 2);
  world.startAll();
  world.pass();
  world.startAll();
  world.pass();
  assert.deepEqual(world.running(), ['new1', 'new2', 'new3']);
});
