import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GiB, makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import { PlaneHarness, perNode } from './control-plane.test-support.js';
import { MAX_COMMIT_OPS } from './changes.js';
import { SCHEDULED } from './task-scheduling.js';

const replicated = (id: string, replicas: number): ReturnType<typeof makeService> => makeService(id, { mode: { kind: 'replicated', replicas } });

test('a replicated service of 3 on 2 ready nodes gets 3 tasks assigned, spread over both', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [replicated('web', 3)] });
  const tasks = await plane.current('web');
  assert.equal(tasks.length, 3);
  assert.deepEqual(tasks.map((t) => t.slot).sort(), [1, 2, 3]);
  for (const task of tasks) {
    assert.equal(task.status.state, 'assigned');
    assert.equal(task.status.message, SCHEDULED);
  }
  assert.deepEqual([...perNode(tasks).values()].sort(), [1, 2]);
  await plane.stop();
});

test('scaling to 5 adds tasks on both nodes; back to 2 shuts the surplus down', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [replicated('web', 3)] });
  await plane.put('service', { ...(await plane.service('web')), spec: replicated('web', 5).spec });
  await plane.settle();
  const five = await plane.current('web');
  assert.equal(five.length, 5);
  assert.ok(five.every((t) => t.status.state === 'assigned'));
  assert.deepEqual([...perNode(five).values()].sort(), [2, 3]);

  await plane.put('service', { ...(await plane.service('web')), spec: replicated('web', 2).spec });
  await plane.settle();
  const two = await plane.current('web');
  assert.equal(two.length, 2);
  assert.ok(two.every((t) => t.status.state === 'assigned' && t.nodeId !== undefined));
  const stopped = (await plane.tasks('web')).filter((t) => t.desiredState === 'shutdown');
  assert.equal(stopped.length, 3, 'the others stay until their node reports them ended');
  await plane.stop();
});

test('an impossible service\'s tasks stay pending with the scheduler\'s reason, written once', async () => {
  const big = makeService('big', { mode: { kind: 'replicated', replicas: 2 }, taskTemplate: { containerSpec: { image: 'busybox' }, resources: { reservations: { memoryBytes: 100 * GiB } } } });
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [big] });
  const tasks = await plane.tasks('big');
  assert.equal(tasks.length, 2);
  for (const task of tasks) {
    assert.equal(task.status.state, 'pending');
    assert.equal(task.nodeId, undefined);
    assert.match(task.status.message, /^no suitable node: 2 nodes insufficient memory/);
  }
  const versions = tasks.map((t) => t.version);
  await plane.put('node', makeNode('n1', { labels: { touched: 'yes' } }));
  await plane.settle();
  assert.deepEqual((await plane.tasks('big')).map((t) => t.version), versions, 'the same reason is not written again');
  await plane.stop();
});

test('a large scale-up is committed in transactions of at most MAX_COMMIT_OPS operations', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1', { memoryBytes: 64 * GiB }), makeNode('n2', { memoryBytes: 64 * GiB })] });
  const sizes: number[] = [];
  plane.store.beforeCommit = (writes) => { sizes.push(writes.length); return Promise.resolve(); };
  await plane.put('service', replicated('web', 250));
  await plane.settle();
  const tasks = await plane.current('web');
  assert.equal(tasks.length, 250);
  assert.ok(tasks.every((t) => t.status.state === 'assigned'));
  assert.ok(Math.max(...sizes) <= MAX_COMMIT_OPS, `commit sizes ${sizes.join(',')}`);
  await plane.stop();
});
