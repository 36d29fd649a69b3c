import type { OverlayState } from '../../wire/overlays.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, makeTask, T0 } from '../../../test/support/cluster-fixtures.js';
import { errors } from '../../base/errors.js';
import type { NodeRole } from '../objects/node.js';
import type { Task, TaskStatus } from '../objects/task.js';
import type { Assignments, ManagerLink, NodeEngine, TaskContainer, TaskContainerEvent, TaskStatusReport } from './agent-ports.js';
import { runAgent } from './run-agent.js';
import { ManualTime, settle as settleTurns } from '../../../test/support/manual-time.js';

const NODE = 'node-1';
const web = makeService('svc-web');

const settle = (): Promise<void> => settleTurns(30);

/** The managers: assignments at a revision, long polls answered on `publish`, reports kept in order; `up = false` fails every call. */
class FakeLink implements ManagerLink {
  up = true;
  reportsUp = true;
  heartbeats = 0;
  role: NodeRole | undefined;
  readonly delivered: TaskStatusReport[][] = [];
  private current: Assignments = { revision: 1, tasks: [], serviceNames: {}, overlays: [] };
  private waiters: { since: number; resolve: (a: Assignments) => void; reject: (e: unknown) => void }[] = [];

  publish(tasks: readonly Task[]): void {
    this.current = { revision: this.current.revision + 1, tasks, serviceNames: { [web.id]: web.spec.name }, overlays: [] };
    for (const waiter of this.waiters.splice(0)) waiter.resolve(this.current);
  }
  cut(): void {
    this.up = false;
    for (const waiter of this.waiters.splice(0)) waiter.reject(errors.unavailable('no-manager', 'no manager reachable'));
  }
  assignments(since: number, signal: AbortSignal): Promise<Assignments> {
    if (!this.up) return Promise.reject(errors.unavailable('no-manager', 'no manager reachable'));
    if (since < this.current.revision) return Promise.resolve(this.current);
    return new Promise((resolve, reject) => {
      const waiter = { since, resolve, reject };
      this.waiters.push(waiter);
      signal.addEventListener('abort', () => { reject(new Error('aborted')); });
    });
  }
  report(reports: readonly TaskStatusReport[]): Promise<void> {
    if (!this.up || !this.reportsUp) return Promise.reject(errors.unavailable('no-manager', 'no manager reachable'));
    this.delivered.push([...reports]);
    return Promise.resolve();
  }
  heartbeat(): Promise<{ periodMs: number; role?: NodeRole }> {
    this.heartbeats += 1;
    if (!this.up) return Promise.reject(errors.unavailable('no-manager', 'no manager reachable'));
    return Promise.resolve(this.role === undefined ? { periodMs: 5000 } : { periodMs: 5000, role: this.role });
  }
  /** Every status delivered for a task, in order. */
  statuses(taskId: string): TaskStatus[] {
    return this.delivered.flat().filter((r) => r.taskId === taskId).map((r) => r.status);
  }
  last(taskId: string): TaskStatus | undefined {
    return this.statuses(taskId).at(-1);
  }
}

/** The node's engine in memory; `holdRuns` makes `run` wait for `release`. */
class FakeEngine implements NodeEngine {
  readonly containers = new Map<string, TaskContainer>();
  readonly missingImages = new Set<string>();
  runs = 0;
  pulls = 0;
  holdRuns = false;
  private held: (() => void)[] = [];
  private listeners = new Set<(event: TaskContainerEvent) => void>();

  readonly overlays = new Map<string, OverlayState>();

  listTaskContainers(): Promise<readonly TaskContainer[]> {
    return Promise.resolve([...this.containers.values()]);
  }
  putOverlay(state: OverlayState): Promise<void> {
    this.overlays.set(state.Id, state);
    return Promise.resolve();
  }
  listOverlays(): Promise<readonly string[]> {
    return Promise.resolve([...this.overlays.keys()]);
  }
  removeOverlay(id: string): Promise<void> {
    this.overlays.delete(id);
    return Promise.resolve();
  }
  ensureImage(reference: string): Promise<void> {
    this.pulls += 1;
    return this.missingImages.has(reference) ? Promise.reject(errors.notFound('task-image-unknown', `image ${reference} is not on this node and cannot be pulled`)) : Promise.resolve();
  }
  async run(task: Task): Promise<string> {
    this.runs += 1;
    if (this.holdRuns) await new Promise<void>((resolve) => this.held.push(resolve));
    const containerId = `c-${task.id}-${this.runs}`;
    this.containers.set(containerId, { containerId, taskId: task.id, running: true, ...(task.spec.containerSpec.healthcheck === undefined ? {} : { health: 'starting' as const }) });
    return containerId;
  }
  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
  remove(containerId: string): Promise<void> {
    this.containers.delete(containerId);
    return Promise.resolve();
  }
  exit(containerId: string, exitCode: number): void {
    const container = this.containers.get(containerId);
    assert.ok(container);
    this.containers.set(containerId, { ...container, running: false, exitCode });
    for (const listener of this.listeners) listener({ kind: 'exit', containerId, taskId: container.taskId, exitCode });
  }
  /** The container's health check says `health`. */
  healthy(containerId: string, health: 'healthy' | 'unhealthy'): void {
    const container = this.containers.get(containerId);
    assert.ok(container);
    this.containers.set(containerId, { ...container, health });
    for (const listener of this.listeners) listener({ kind: 'health', containerId, taskId: container.taskId, health });
  }
  async *events(signal: AbortSignal): AsyncGenerator<TaskContainerEvent> {
    const queue: TaskContainerEvent[] = [];
    let wake: (() => void) | undefined;
    const listener = (event: TaskContainerEvent): void => { queue.push(event); wake?.(); };
    const onAbort = (): void => wake?.();
    this.listeners.add(listener);
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        const next = queue.shift();
        if (next !== undefined) yield next;
        else await new Promise<void>((resolve) => { wake = resolve; });
      }
    } finally {
      this.listeners.delete(listener);
      signal.removeEventListener('abort', onAbort);
    }
  }
  of(taskId: string): TaskContainer[] {
    return [...this.containers.values()].filter((c) => c.taskId === taskId);
  }
}

function task(id: string, options: { slot?: number; desiredState?: 'running' | 'shutdown'; state?: 'assigned' | 'running'; image?: string } = {}): Task {
  const made = makeTask(id, web, { nodeId: NODE, slot: options.slot ?? 1, state: options.state ?? 'assigned', desiredState: options.desiredState ?? 'running' });
  return options.image === undefined ? made : { ...made, spec: { ...made.spec, containerSpec: { ...made.spec.containerSpec, image: options.image } } };
}

/** An agent on fakes; `stop` aborts it and checks that it resolves. */
async function startAgent(link = new FakeLink(), engine = new FakeEngine()) {
  const timers = new ManualTime(0, 30);
  const controller = new AbortController();
  const logs: string[] = [];
  const roles: NodeRole[] = [];
  const done = runAgent({ nodeId: NODE, link, engine, clock: { now: () => T0 }, timers, signal: controller.signal, log: (m) => logs.push(m), onRole: (role) => roles.push(role) });
  await settle();
  return {
    link, engine, timers, logs, roles,
    async stop(): Promise<void> {
      controller.abort();
      await done;
    },
  };
}

test('runs an assigned task once, also when the assignment comes twice or while it starts', async () => {
  const agent = await startAgent();
  const a = task('task-a');
  agent.engine.holdRuns = true;
  agent.link.publish([a]);
  await settle();
  agent.link.publish([a]); // again while the run is under way
  await settle();
  agent.link.publish([a]);
  await settle();
  agent.engine.release();
  await settle();
  assert.equal(agent.engine.runs, 1);
  const [container] = agent.engine.of('task-a');
  assert.ok(container?.running);
  assert.deepEqual(agent.link.statuses('task-a').map((s) => s.state), ['preparing', 'running']);
  assert.deepEqual(agent.link.last('task-a'), { state: 'running', message: 'started', timestamp: T0.toISOString(), containerId: container.containerId });
  agent.link.publish([{ ...a, status: { ...a.status, state: 'running' } }]);
  await settle();
  assert.equal(agent.engine.runs, 1);
  assert.equal(agent.link.statuses('task-a').length, 2);
  await agent.stop();
  assert.ok(agent.engine.of('task-a')[0]?.running, 'stopping the agent leaves the task running');
});

test('a task with a health check is starting until healthy, then running; once unhealthy it fails and its container goes', async () => {
  const agent = await startAgent();
  const checked = task('task-h');
  const a = { ...checked, spec: { ...checked.spec, containerSpec: { ...checked.spec.containerSpec, healthcheck: { test: ['CMD', 'true'], intervalNs: 0, timeoutNs: 0, startPeriodNs: 0, retries: 0 } } } };
  agent.link.publish([a]);
  await settle();
  const containerId = agent.engine.of('task-h')[0]?.containerId;
  assert.ok(containerId !== undefined);
  assert.deepEqual(agent.link.statuses('task-h').map((s) => s.state), ['preparing', 'starting']);
  agent.engine.healthy(containerId, 'healthy');
  await settle();
  assert.deepEqual(agent.link.last('task-h'), { state: 'running', message: 'started', timestamp: T0.toISOString(), containerId });
  agent.engine.healthy(containerId, 'unhealthy');
  await settle();
  assert.deepEqual(agent.engine.of('task-h'), []);
  assert.deepEqual(agent.link.last('task-h'), { state: 'failed', message: 'unhealthy', timestamp: T0.toISOString(), containerId, err: 'task: unhealthy container' });
  assert.equal(agent.engine.runs, 1);
  await agent.stop();
});

test('passes on the role each heartbeat answer asks for', async () => {
  const link = new FakeLink();
  link.role = 'manager';
  const agent = await startAgent(link);
  assert.deepEqual(agent.roles, ['manager']);
  link.role = 'worker';
  await agent.timers.advance(5000);
  await settle();
  assert.deepEqual(agent.roles, ['manager', 'worker']);
  await agent.stop();
});

test('stops a task desired shutdown, and one that never started', async () => {
  const agent = await startAgent();
  const a = task('task-a');
  const b = task('task-b', { slot: 2, desiredState: 'shutdown' });
  agent.link.publish([a, b]);
  await settle();
  const containerId = agent.engine.of('task-a')[0]?.containerId;
  assert.ok(containerId !== undefined);
  agent.link.publish([{ ...a, desiredState: 'shutdown' }, b]);
  await settle();
  assert.deepEqual(agent.engine.of('task-a'), []);
  assert.deepEqual(agent.link.last('task-a'), { state: 'shutdown', message: 'shutdown', timestamp: T0.toISOString(), containerId });
  assert.equal(agent.link.last('task-b')?.state, 'shutdown');
  assert.equal(agent.engine.runs, 1);
  await agent.stop();
});

test('removes the containers of tasks no longer assigned to the node, without reporting them', async () => {
  const engine = new FakeEngine();
  engine.containers.set('c-gone', { containerId: 'c-gone', taskId: 'task-gone', running: true });
  engine.containers.set('c-moved', { containerId: 'c-moved', taskId: 'task-moved', running: false, exitCode: 0 });
  const agent = await startAgent(new FakeLink(), engine);
  agent.link.publish([task('task-a')]);
  await settle();
  assert.deepEqual([...engine.containers.values()].map((c) => c.taskId), ['task-a']);
  await agent.stop();
});

test('reports exits: complete for 0, failed with Swarm\'s error otherwise; the containers stay', async () => {
  const agent = await startAgent();
  agent.link.publish([task('task-a'), task('task-b', { slot: 2 })]);
  await settle();
  const a = agent.engine.of('task-a')[0]?.containerId ?? '';
  const b = agent.engine.of('task-b')[0]?.containerId ?? '';
  agent.engine.exit(a, 0);
  agent.engine.exit(b, 3);
  await settle();
  assert.deepEqual(agent.link.last('task-a'), { state: 'complete', message: 'finished', timestamp: T0.toISOString(), containerId: a, exitCode: 0 });
  assert.deepEqual(agent.link.last('task-b'), { state: 'failed', message: 'finished', timestamp: T0.toISOString(), containerId: b, exitCode: 3, err: 'task: non-zero exit (3)' });
  assert.equal(agent.engine.containers.size, 2);
  // Still desired running: the ended task is not started again.
  agent.link.publish([task('task-a'), task('task-b', { slot: 2 })]);
  await settle();
  assert.equal(agent.engine.runs, 2);
  await agent.stop();
});

test('a failing image rejects the task with the message, once', async () => {
  const engine = new FakeEngine();
  engine.missingImages.add('nope:1');
  const agent = await startAgent(new FakeLink(), engine);
  const a = task('task-a', { image: 'nope:1' });
  agent.link.publish([a]);
  await settle();
  assert.deepEqual(agent.link.last('task-a'), { state: 'rejected', message: 'preparing', timestamp: T0.toISOString(), err: 'image nope:1 is not on this node and cannot be pulled' });
  agent.link.publish([a]);
  await settle();
  assert.equal(engine.pulls, 1);
  assert.equal(engine.runs, 0);
  await agent.stop();
});

test('cut off: keeps running, queues the latest status per task, retries; heartbeats go on', async () => {
  const agent = await startAgent();
  agent.link.publish([task('task-a')]);
  await settle();
  const containerId = agent.engine.of('task-a')[0]?.containerId ?? '';
  agent.link.cut();
  await settle();
  agent.engine.exit(containerId, 7);
  await agent.timers.advance(60_000);
  assert.equal(agent.link.last('task-a')?.state, 'running', 'nothing is delivered while cut off');
  assert.equal(agent.engine.containers.size, 1, 'the container stays');
  const beats = agent.link.heartbeats;
  await agent.timers.advance(60_000);
  assert.ok(agent.link.heartbeats > beats, 'heartbeats are retried');
  agent.link.up = true;
  await agent.timers.advance(20_000);
  assert.deepEqual(agent.link.last('task-a'), { state: 'failed', message: 'finished', timestamp: T0.toISOString(), containerId, exitCode: 7, err: 'task: non-zero exit (7)' });
  assert.equal(agent.engine.runs, 1);
  await agent.stop();
});

test('reports fail while assignments work: only the latest status of a task is sent', async () => {
  const agent = await startAgent();
  agent.link.reportsUp = false;
  agent.link.publish([task('task-a')]);
  await settle();
  agent.link.reportsUp = true;
  await agent.timers.advance(20_000);
  assert.deepEqual(agent.link.statuses('task-a').map((s) => s.state), ['running']);
  await agent.stop();
});

test('on (re)connecting it reports what its containers show before it converges', async () => {
  const link = new FakeLink();
  const engine = new FakeEngine();
  engine.containers.set('c-a', { containerId: 'c-a', taskId: 'task-a', running: true });
  engine.containers.set('c-b', { containerId: 'c-b', taskId: 'task-b', running: false, exitCode: 2 });
  link.up = false;
  const agent = await startAgent(link, engine);
  await agent.timers.advance(30_000);
  assert.equal(link.delivered.length, 0);
  link.publish([task('task-a'), task('task-b', { slot: 2, state: 'running' }), task('task-c', { slot: 3 })]);
  link.up = true;
  await agent.timers.advance(20_000);
  const first = link.delivered[0] ?? [];
  assert.deepEqual(first.map((r) => [r.taskId, r.status.state, r.status.containerId, r.status.exitCode]), [
    ['task-a', 'running', 'c-a', undefined],
    ['task-b', 'failed', 'c-b', 2],
  ]);
  assert.equal(link.last('task-c')?.state, 'running');
  assert.equal(engine.runs, 1, 'only the new task is started');
  assert.equal(engine.of('task-a').length, 1);
  await agent.stop();
});
