import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import type { RestartCondition } from '../objects/service.js';
import { PlaneHarness } from './control-plane.test-support.js';
import { HISTORY_PER_SLOT } from './task-cleanup.js';

function service(condition: RestartCondition, delayNs = 5_000_000_000): ReturnType<typeof makeService> {
  return makeService('web', { mode: { kind: 'replicated', replicas: 1 }, taskTemplate: { containerSpec: { image: 'busybox' }, restartPolicy: { condition, delayNs } } });
}

test('a failed task gets its successor only once the restart delay has passed', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [service('any')] });
  const [first] = await plane.current('web');
  assert.ok(first);
  await plane.report(first.id, 'failed');
  await plane.settle();
  assert.deepEqual((await plane.tasks('web')).map((t) => t.id), [first.id], 'no successor yet, nothing written');
  assert.equal((await plane.tasks('web'))[0]?.desiredState, 'running');
  assert.deepEqual(plane.time.pending, [5000], 'one wake-up for the rest of the delay');

  await plane.time.advance(4999);
  await plane.settle();
  assert.equal((await plane.tasks('web')).length, 1);
  await plane.time.advance(1);
  await plane.settle();
  const tasks = await plane.tasks('web');
  const old = tasks.find((t) => t.id === first.id);
  const next = tasks.find((t) => t.id !== first.id);
  assert.ok(old && next);
  assert.equal(old.desiredState, 'shutdown');
  assert.equal(next.slot, first.slot);
  assert.equal(next.status.state, 'assigned');
  assert.equal(next.nodeId, 'n1');
  assert.match(next.status.message, /scheduled/);
  await plane.stop();
});

test('restart condition none leaves the ended task alone', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [service('none')] });
  const [first] = await plane.current('web');
  assert.ok(first);
  await plane.report(first.id, 'failed');
  await plane.settle();
  await plane.time.advance(60_000);
  await plane.settle();
  const tasks = await plane.tasks('web');
  assert.equal(tasks.length, 1);
  const [only] = tasks;
  assert.ok(only);
  assert.equal(only.status.state, 'failed');
  assert.equal(only.desiredState, 'running');
  assert.deepEqual(plane.time.pending, []);
  await plane.stop();
});

test(`history is trimmed to the newest ${HISTORY_PER_SLOT} ended tasks of a slot`, async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [service('any', 0)] });
  const ended: string[] = [];
  for (let i = 0; i < 8; i++) {
    const [current] = await plane.current('web');
    assert.ok(current);
    await plane.time.advance(1000);
    await plane.report(current.id, 'failed');
    ended.push(current.id);
    await plane.settle();
  }
  const tasks = await plane.tasks('web');
  const history = tasks.filter((t) => t.desiredState === 'shutdown').map((t) => t.id).sort();
  assert.deepEqual(history, ended.slice(-HISTORY_PER_SLOT).sort());
  assert.equal(tasks.filter((t) => t.desiredState === 'running').length, 1);
  await plane.stop();
});
