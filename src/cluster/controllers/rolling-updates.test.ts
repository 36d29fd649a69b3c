import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import type { Service, UpdateConfig } from '../objects/service.js';
import { isUpToDate } from '../scheduler/index.js';
import { PlaneHarness } from './control-plane.test-support.js';

const web = (): Service => makeService('web', { mode: { kind: 'replicated', replicas: 2 }, taskTemplate: { containerSpec: { image: 'v1' } } });

/** What an update request stores: the new image, the spec it replaces as previousSpec, no status. */
async function updateImage(plane: PlaneHarness, image: string, config: Partial<UpdateConfig>): Promise<void> {
  await plane.time.advance(1000);
  const { updateStatus: _last, ...service } = await plane.service('web');
  const spec = { ...service.spec, updateConfig: { ...service.spec.updateConfig, monitorNs: 0, ...config }, taskTemplate: { ...service.spec.taskTemplate, containerSpec: { ...service.spec.taskTemplate.containerSpec, image } } };
  await plane.put('service', { ...service, previousSpec: service.spec, spec });
  await plane.settle();
}

/** As the nodes' agents would: every task told to stop reports it stopped; then every assigned task wanted running reports running. */
async function startAll(plane: PlaneHarness): Promise<void> {
  for (const task of await plane.tasks('web')) if (task.desiredState === 'shutdown' && task.status.state === 'running') await plane.report(task.id, 'shutdown');
  await plane.settle();
  for (const task of await plane.current('web')) if (task.status.state === 'assigned') await plane.report(task.id, 'running');
  await plane.settle();
}

test('the leader rolls a new image over the slots one at a time and marks the update completed', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [web()] });
  await startAll(plane);
  const old = (await plane.current('web')).map((t) => t.id);
  await updateImage(plane, 'v2', { order: 'stop-first' });
  assert.equal((await plane.service('web')).updateStatus?.state, 'updating');
  const [successor, ...more] = (await plane.current('web')).filter((t) => !old.includes(t.id));
  assert.ok(successor && more.length === 0, 'one slot replaced');
  assert.equal(successor.status.state, 'new', 'stop-first: the successor is placed only once the old task stopped');
  await startAll(plane);
  await startAll(plane);
  const service = await plane.service('web');
  assert.equal(service.updateStatus?.state, 'completed');
  const current = await plane.current('web');
  assert.equal(current.length, 2);
  assert.ok(current.every((t) => isUpToDate(t, service.spec.taskTemplate) && !old.includes(t.id)));
  await plane.stop();
});

test('a failed start-first update rolls back on the leader; the old tasks stay and the service says why', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [web()] });
  await startAll(plane);
  const old = (await plane.current('web')).map((t) => t.id).sort();
  await updateImage(plane, 'bad', { order: 'start-first', failureAction: 'rollback' });
  const fresh = (await plane.current('web')).filter((t) => !old.includes(t.id));
  assert.equal(fresh.length, 1);
  assert.deepEqual((await plane.current('web')).filter((t) => old.includes(t.id)).length, 2, 'start-first: the old task stays beside the new');
  await plane.report(fresh[0]?.id ?? '', 'failed', 'unhealthy');
  await plane.settle();
  const service = await plane.service('web');
  assert.equal(service.updateStatus?.state, 'rollback_completed');
  assert.match(service.updateStatus.message, /^update rolled back: task \w+ failed: unhealthy; rollback completed$/);
  assert.equal(service.spec.taskTemplate.containerSpec.image, 'v1');
  assert.deepEqual((await plane.current('web')).map((t) => t.id).sort(), old);
  await plane.stop();
});
