import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CPU, makeService, makeTask, MiB } from '../../../test/support/cluster-fixtures.js';
import type { Service } from '../objects/service.js';
import type { Task } from '../objects/task.js';
import { recommendReplicas, stabilizedReplicas, type TaskUsage } from './autoscale.js';

function scaled(replicas: number, autoscale: Record<string, unknown>, resources: Record<string, unknown> = {}): Service {
  return makeService('web', {
    mode: { kind: 'replicated', replicas },
    taskTemplate: { containerSpec: { image: 'x' }, resources },
    autoscale: { maxReplicas: 10, ...autoscale },
  });
}

function tasks(service: Service, count: number): Task[] {
  return Array.from({ length: count }, (_, i) => makeTask(`t${i + 1}`, service, { slot: i + 1, nodeId: 'a' }));
}

const usage = (entries: [string, number, number?][]): Map<string, TaskUsage> =>
  new Map(entries.map(([taskId, cpuNanos, memoryBytes]) => [taskId, { taskId, cpuNanos, memoryBytes: memoryBytes ?? 0 }]));

test('CPU above the target asks for the summed use over the target per task, rounded up', () => {
  const service = scaled(2, { cpuPercent: 50 });
  const r = recommendReplicas(service, tasks(service, 2), usage([['t1', 0.9 * CPU], ['t2', 0.9 * CPU]]));
  assert.deepEqual(r, { replicas: 4, reason: 'cpu 90% of a 50% target over 2 tasks' });
});

test('the target is a share of the reservation (else the limit, else one CPU); within 10% nothing changes', () => {
  const reserved = scaled(3, { cpuPercent: 50 }, { reservations: { nanoCpus: CPU / 2 } });
  assert.equal(recommendReplicas(reserved, tasks(reserved, 3), usage([['t1', CPU / 4], ['t2', 0.26 * CPU], ['t3', 0.24 * CPU]]))?.replicas, 3);
  const limited = scaled(1, { cpuPercent: 50 }, { limits: { nanoCpus: 2 * CPU } });
  assert.equal(recommendReplicas(limited, tasks(limited, 1), usage([['t1', 2 * CPU]]))?.replicas, 2);
});

test('idle tasks scale down to the minimum; a task not measured yet holds the scale-down back', () => {
  const service = scaled(4, { cpuPercent: 50, minReplicas: 2 });
  const idle = usage([['t1', 0], ['t2', 0.01 * CPU], ['t3', 0], ['t4', 0]]);
  assert.equal(recommendReplicas(service, tasks(service, 4), idle)?.replicas, 2);
  idle.delete('t4');
  assert.equal(recommendReplicas(service, tasks(service, 4), idle)?.replicas, 4);
});

test('a jump is bounded by the maximum and by doubling (at least +4) per decision', () => {
  const service = scaled(1, { cpuPercent: 10, maxReplicas: 50 });
  assert.equal(recommendReplicas(service, tasks(service, 1), usage([['t1', 3 * CPU]]))?.replicas, 5);
  const capped = scaled(8, { cpuPercent: 10, maxReplicas: 10 });
  assert.equal(recommendReplicas(capped, tasks(capped, 8), usage(tasks(capped, 8).map((t) => [t.id, CPU] as [string, number])))?.replicas, 10);
});

test('memory is a share of the limit; the highest of the targets wins', () => {
  const service = scaled(2, { cpuPercent: 50, memoryPercent: 50 }, { limits: { memoryBytes: 100 * MiB } });
  const r = recommendReplicas(service, tasks(service, 2), usage([['t1', 0.5 * CPU, 90 * MiB], ['t2', 0.5 * CPU, 90 * MiB]]));
  assert.deepEqual(r, { replicas: 4, reason: 'cpu 50% of a 50% target over 2 tasks, memory 90% of a 50% target over 2 tasks' });
});

test('nothing without autoscaling or a measurement', () => {
  const plain = makeService('web', { mode: { kind: 'replicated', replicas: 2 } });
  assert.equal(recommendReplicas(plain, tasks(plain, 2), usage([['t1', CPU]])), undefined);
  const service = scaled(2, { cpuPercent: 50 });
  assert.equal(recommendReplicas(service, tasks(service, 2), new Map()), undefined);
});

test('up at once; down only to the highest recommendation of the window', () => {
  assert.equal(stabilizedReplicas(2, 6, [], 60_000, 100_000), 6);
  const history = [{ atMs: 30_000, replicas: 6 }, { atMs: 80_000, replicas: 4 }, { atMs: 95_000, replicas: 3 }];
  assert.equal(stabilizedReplicas(6, 1, history, 60_000, 100_000), 4, 'the 6 of 70 s ago is out of the window; the 4 is in');
  assert.equal(stabilizedReplicas(6, 1, history, 60_000, 200_000), 1);
  assert.equal(stabilizedReplicas(3, 1, [{ atMs: 99_000, replicas: 8 }], 60_000, 100_000), 3, 'never up by a stabilized scale-down');
});
