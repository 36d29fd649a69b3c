import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeService, makeTask } from '../../../test/support/cluster-fixtures.js';
import { ManualTime } from '../../../test/support/manual-time.js';
import type { MountConfig } from '../../wire/mounts.js';
import type { Task } from '../objects/task.js';
import type { Assignments, NodeEngine, TaskContainer, TaskContainerEvent, TaskFileData, TaskFiles, TaskStatusReport } from './agent-ports.js';
import { StatusReporter } from './status-reporter.js';
import { TaskConverger } from './task-converger.js';

const NODE = 'node-1';
const SECRET_ID = 'sec1';
const service = makeService('svc-web', { taskTemplate: { containerSpec: { image: 'busybox', secrets: [{ id: SECRET_ID, name: 'db', target: 'db' }] } } });

class Engine implements NodeEngine {
  readonly containers = new Map<string, TaskContainer>();
  readonly mounts = new Map<string, readonly MountConfig[]>();
  listTaskContainers(): Promise<readonly TaskContainer[]> { return Promise.resolve([...this.containers.values()]); }
  ensureImage(): Promise<void> { return Promise.resolve(); }
  run(task: Task, _service: string, _node: string, files: readonly MountConfig[] = []): Promise<string> {
    const containerId = `c-${task.id}`;
    this.containers.set(containerId, { containerId, taskId: task.id, running: true });
    this.mounts.set(containerId, files);
    return Promise.resolve(containerId);
  }
  remove(containerId: string): Promise<void> { this.containers.delete(containerId); return Promise.resolve(); }
  putOverlay(): Promise<void> { return Promise.resolve(); }
  listOverlays(): Promise<readonly string[]> { return Promise.resolve([]); }
  removeOverlay(): Promise<void> { return Promise.resolve(); }
  async *events(): AsyncIterable<TaskContainerEvent> { /* none */ }
}

class Files implements TaskFiles {
  readonly held = new Map<string, readonly TaskFileData[]>();
  prepare(task: Task, data: readonly TaskFileData[]): Promise<readonly MountConfig[]> {
    const found = data.find((d) => d.id === SECRET_ID);
    if (found === undefined) return Promise.reject(new Error('no data for secret db'));
    this.held.set(task.id, data);
    return Promise.resolve([{ Type: 'bind', Source: `/run/files/${task.id}/secret-0`, Target: '/run/secrets/db', ReadOnly: true }]);
  }
  release(taskId: string): Promise<void> { this.held.delete(taskId); return Promise.resolve(); }
  list(): Promise<readonly string[]> { return Promise.resolve([...this.held.keys()]); }
}

function converger(engine: Engine, files: Files, reports: TaskStatusReport[]): TaskConverger {
  const time = new ManualTime();
  const signal = new AbortController().signal;
  const reporter = new StatusReporter({ link: { report: (r) => { reports.push(...r); return Promise.resolve(); } }, timers: time, signal, log: () => undefined });
  return new TaskConverger({ nodeId: NODE, engine, reporter, clock: time, signal, log: () => undefined, files });
}

const assignments = (tasks: readonly Task[], files: readonly TaskFileData[]): Assignments =>
  ({ revision: 2, tasks, serviceNames: { [service.id]: 'web' }, overlays: [], files });

test('a task\'s secret files are written before its container runs, which gets their mounts; they go once its container is removed', async () => {
  const engine = new Engine();
  const files = new Files();
  const reports: TaskStatusReport[] = [];
  const c = converger(engine, files, reports);
  const task = makeTask('t1', service, { nodeId: NODE, state: 'assigned' });
  await c.converge(assignments([task], [{ kind: 'secret', id: SECRET_ID, data: Buffer.from('v').toString('base64') }]));
  await c.idle();
  assert.deepEqual(engine.mounts.get('c-t1'), [{ Type: 'bind', Source: '/run/files/t1/secret-0', Target: '/run/secrets/db', ReadOnly: true }]);
  assert.deepEqual([...files.held.keys()], ['t1']);
  await c.converge(assignments([{ ...task, desiredState: 'shutdown' }], []));
  await c.idle();
  assert.equal(engine.containers.size, 0);
  assert.equal(files.held.size, 0, 'the files went with the container');
});

test('without the data of its secret the task fails to start, naming it; files of tasks no longer assigned are removed', async () => {
  const engine = new Engine();
  const files = new Files();
  files.held.set('gone', []);
  const reports: TaskStatusReport[] = [];
  const c = converger(engine, files, reports);
  await c.converge(assignments([makeTask('t2', service, { nodeId: NODE, state: 'assigned' })], []));
  await c.idle();
  assert.equal(engine.containers.size, 0);
  const failed = reports.find((r) => r.taskId === 't2' && r.status.state === 'failed');
  assert.match(failed?.status.err ?? '', /secret db/);
  assert.deepEqual([...files.held.keys()], [], 'the unassigned task\'s files are gone');
});
