import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import { PlaneHarness, perNode } from './control-plane.test-support.js';
import { FIRST_BEAT_GRACE_MS, HEARTBEAT_LEASE_EXPIRED, HEARTBEAT_RECEIVED } from './node-liveness.js';

const web = makeService('web', { mode: { kind: 'replicated', replicas: 2 } });

test('a node whose lease expires goes down; its tasks are shut down and replaced on another node', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [web] });
  const before = await plane.current('web');
  assert.deepEqual([...perNode(before).keys()].sort(), ['n1', 'n2']);
  const onN1 = before.filter((t) => t.nodeId === 'n1');

  plane.heartbeats.expire('n1');
  await plane.until('n1 down', async () => (await plane.node('n1')).status.state === 'down');
  await plane.settle();
  assert.match((await plane.node('n1')).status.message, new RegExp(HEARTBEAT_LEASE_EXPIRED));
  const tasks = await plane.tasks('web');
  for (const old of onN1) assert.equal(tasks.find((t) => t.id === old.id)?.desiredState, 'shutdown');
  const current = await plane.current('web');
  assert.equal(current.length, 2);
  assert.ok(current.every((t) => t.nodeId === 'n2' && t.status.state === 'assigned'));
  assert.deepEqual(current.map((t) => t.slot).sort(), [1, 2]);

  await plane.heartbeats.beat('n1', 5);
  await plane.until('n1 ready', async () => (await plane.node('n1')).status.state === 'ready');
  assert.equal((await plane.node('n1')).status.message, HEARTBEAT_RECEIVED);
  await plane.stop();
});

test('a node is not declared down while its lease lives, whatever the clock says', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1', { state: 'unknown' })], services: [web] });
  assert.equal((await plane.node('n1')).status.state, 'ready');
  await plane.time.advance(3_600_000);
  await plane.settle();
  assert.equal((await plane.node('n1')).status.state, 'ready');
  await plane.stop();
});

test('draining a node moves its tasks', async () => {
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2')], services: [web] });
  await plane.put('node', { ...(await plane.node('n1')), spec: { role: 'worker', availability: 'drain', labels: {} } });
  await plane.settle();
  const current = await plane.current('web');
  assert.equal(current.length, 2);
  assert.ok(current.every((t) => t.nodeId === 'n2'));
  assert.ok((await plane.tasks('web')).filter((t) => t.nodeId === 'n1').every((t) => t.desiredState === 'shutdown'));
  await plane.stop();
});

test('a global service gets one task per eligible node, and one on a node that joins later', async () => {
  const global = makeService('agent', { mode: { kind: 'global' }, taskTemplate: { containerSpec: { image: 'busybox' }, placement: { constraints: ['node.role==worker'] } } });
  const plane = await PlaneHarness.start({ nodes: [makeNode('n1'), makeNode('n2'), makeNode('m1', { role: 'manager' })], services: [global] });
  let current = await plane.current('agent');
  assert.deepEqual(current.map((t) => t.nodeId).sort(), ['n1', 'n2']);
  assert.ok(current.every((t) => t.status.state === 'assigned' && t.slot === undefined));

  await plane.put('node', makeNode('n3', { state: 'unknown' }));
  await plane.settle();
  assert.equal((await plane.node('n3')).status.state, 'unknown', 'no lease yet: given time for its first beat');
  assert.equal((await plane.current('agent')).length, 2, 'nothing placed on a node that has not beaten');
  await plane.time.advance(FIRST_BEAT_GRACE_MS);
  await plane.until('n3 down: its first beat did not come', async () => (await plane.node('n3')).status.state === 'down');
  await plane.heartbeats.beat('n3', 5);
  await plane.until('n3 ready', async () => (await plane.node('n3')).status.state === 'ready');
  await plane.settle();
  current = await plane.current('agent');
  assert.deepEqual(current.map((t) => t.nodeId).sort(), ['n1', 'n2', 'n3']);
  assert.equal(current.find((t) => t.nodeId === 'n3')?.status.state, 'assigned');
  await plane.stop();
});
