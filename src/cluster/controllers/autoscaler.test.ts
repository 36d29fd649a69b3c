import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CPU, makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import type { Service } from '../objects/service.js';
import type { PastRecommendation, TaskUsage } from '../scheduler/index.js';
import { autoscalePass } from './autoscaler.js';
import { PlaneHarness } from './control-plane.test-support.js';

const autoscaled = (): Service => makeService('web', {
  mode: { kind: 'replicated', replicas: 1 },
  autoscale: { maxReplicas: 4, cpuPercent: 50, scaleDownDelayNs: 60_000_000_000 },
});

test('load scales a service up at once; the scale-down waits for the window; each change says why', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [autoscaled()] });
  let perTask = 1.5 * CPU;
  const asked: string[] = [];
  const options = {
    store: plane.store, heartbeats: plane.heartbeats, fence: plane.fence, signal: plane.controller.signal,
    clock: plane.time, timers: plane.time, log: (message: string) => { plane.logs.push(message); },
    usageOf: async (node: { id: string }): Promise<TaskUsage[]> => {
      asked.push(node.id);
      return (await plane.current('web')).filter((t) => t.status.state === 'running').map((t) => ({ taskId: t.id, cpuNanos: perTask, memoryBytes: 0 }));
    },
  };
  const history = new Map<string, PastRecommendation[]>();
  const runAll = async (): Promise<void> => {
    for (const task of await plane.current('web')) if (task.status.state !== 'running') await plane.report(task.id, 'running');
    await plane.settle();
  };
  await runAll();

  await autoscalePass(options, history);
  await plane.settle();
  let service = await plane.service('web');
  assert.deepEqual(service.spec.mode, { kind: 'replicated', replicas: 3 });
  assert.equal(service.autoscaleStatus?.message, '1 → 3 replicas: cpu 150% of a 50% target over 1 task');
  assert.deepEqual(asked, ['n1']);
  assert.equal((await plane.current('web')).length, 3, 'the orchestrator made the new tasks');
  await runAll();

  perTask = 0;
  await plane.time.advance(30_000);
  await autoscalePass(options, history);
  assert.deepEqual((await plane.service('web')).spec.mode, { kind: 'replicated', replicas: 3 }, 'idle, but within the window of the 3 recommended');
  await plane.time.advance(31_000);
  await autoscalePass(options, history);
  service = await plane.service('web');
  assert.deepEqual(service.spec.mode, { kind: 'replicated', replicas: 1 });
  assert.equal(service.autoscaleStatus?.message, '3 → 1 replicas: cpu 0% of a 50% target over 3 tasks');
  await plane.stop();
});
