import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import { PlaneHarness } from './control-plane.test-support.js';

test('a removed service\'s tasks go to desired remove and are deleted once ended', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [makeService('web', { mode: { kind: 'replicated', replicas: 2 } })] });
  const [a, b] = await plane.current('web');
  assert.ok(a && b);
  await plane.report(a.id, 'running');
  await plane.report(b.id, 'running');
  await plane.settle();
  const service = await plane.memory.get('service', 'web');
  assert.ok(service);
  await plane.memory.delete('service', 'web', service.version);
  await plane.settle();
  assert.deepEqual((await plane.tasks()).map((t) => t.desiredState), ['remove', 'remove']);

  await plane.report(a.id, 'shutdown');
  await plane.settle();
  assert.deepEqual((await plane.tasks()).map((t) => t.id), [b.id]);
  await plane.report(b.id, 'complete');
  await plane.settle();
  assert.deepEqual(await plane.tasks(), []);
  await plane.stop();
});

test('tasks left on a removed node are replaced, then deleted', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [makeService('web', { mode: { kind: 'replicated', replicas: 2 } })] });
  const onN1 = (await plane.current('web')).filter((t) => t.nodeId === 'n1').map((t) => t.id);
  assert.equal(onN1.length, 1);
  const n1 = await plane.memory.get('node', 'n1');
  assert.ok(n1);
  await plane.memory.delete('node', 'n1', n1.version);
  plane.heartbeats.expire('n1');
  await plane.settle();
  const tasks = await plane.tasks('web');
  assert.ok(tasks.every((t) => t.nodeId === 'n2' && t.desiredState === 'running'));
  assert.equal(tasks.length, 2);
  await plane.stop();
});
