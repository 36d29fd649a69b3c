import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../../base/errors.js';
import { makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import { PlaneHarness } from './control-plane.test-support.js';
import { encodeObject } from '../objects/stored-object.js';

const web = (replicas: number): ReturnType<typeof makeService> => makeService('web', { mode: { kind: 'replicated', replicas } });

test('a writer that changes a task mid-pass causes a retry, not an overwrite', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [web(1)] });
  const [task] = await plane.current('web');
  assert.ok(task);
  let interposed = 0;
  plane.store.beforeCommit = async (writes) => {
    if (!writes.some((w) => w.kind === 'task' && w.id === task.id && w.op === 'put') || interposed > 0) return;
    interposed += 1;
    // The node's agent reports in between the control plane's read and its commit.
    await plane.report(task.id, 'running', 'started by the agent');
  };
  await plane.put('service', { ...(await plane.service('web')), spec: web(0).spec });
  await plane.settle();
  assert.equal(interposed, 1);
  const [after] = await plane.tasks('web');
  assert.ok(after);
  assert.equal(after.desiredState, 'shutdown', 'the retry applied the decision');
  assert.equal(after.status.message, 'started by the agent', 'the other writer\'s change survived');
  await plane.stop();
});

test('an unavailable store is retried with backoff on the injected timers', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')] });
  let refusals = 2;
  plane.store.beforeCommit = () => {
    if (refusals === 0) return Promise.resolve();
    refusals -= 1;
    return Promise.reject(errors.unavailable('store-unavailable', 'etcd unreachable'));
  };
  await plane.put('service', web(1));
  await plane.until('the first backoff', () => Promise.resolve(plane.time.pending.length === 1));
  assert.deepEqual(plane.time.pending, [200]);
  assert.deepEqual(await plane.tasks(), []);
  await plane.time.advance(200);
  await plane.until('the second backoff', () => Promise.resolve(plane.time.pending[0] === 400));
  await plane.time.advance(400);
  await plane.settle();
  assert.equal((await plane.current('web')).length, 1);
  assert.equal(plane.logs.filter((line) => line.includes('etcd unreachable')).length, 2);
  await plane.stop();
});

test('the loop returns when the signal aborts and writes nothing after', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [web(1)] });
  await plane.stop();
  const revision = (await plane.memory.list('task')).revision;
  await plane.memory.update('service', 'web', encodeObject(web(3)), (await plane.service('web')).version);
  plane.heartbeats.expire('n1');
  await plane.time.advance(60_000);
  assert.equal((await plane.tasks()).length, 1);
  assert.equal((await plane.node('n1')).status.state, 'ready');
  assert.equal((await plane.memory.list('task')).revision, revision + 1, 'only the test\'s own write');
});

test('after the fence is lost the loop writes nothing and returns', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1')], services: [web(1)] });
  plane.memory.revokeFence(plane.fence.key);
  await plane.put('service', { ...(await plane.service('web')), spec: web(3).spec });
  await plane.done;
  assert.equal((await plane.tasks()).length, 1);
  assert.ok(plane.logs.some((line) => line.includes('leadership')));
  assert.equal(plane.controller.signal.aborted, false, 'it returned on its own');
});
