import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { MemoryClusterStore } from '../store/memory-cluster-store.js';
import { MemoryHeartbeats } from '../store/memory-heartbeats.js';
import { createClusterCa, generateNodeKey, makeJoinToken, newJoinSecret, readNodeCertificate } from '../trust/index.js';
import { makeNode, makeService, makeTask, T0 } from '../../../test/support/cluster-fixtures.js';
import type { Node } from '../objects/node.js';
import type { JoinCall } from '../transport/protocol.js';
import { ExternalEtcd } from './manager-etcd.js';
import { StoreManagerBackend } from './manager-backend.js';
import { ManagerControl } from './manager-control.js';
import { readNode, readTask, storedValue } from './stored-objects.js';

async function setup(): Promise<{ backend: StoreManagerBackend; store: MemoryClusterStore; heartbeats: MemoryHeartbeats; tokens: { worker: string; manager: string }; caCertPem: string }> {
  const store = new MemoryClusterStore();
  const heartbeats = new MemoryHeartbeats();
  const ca = await createClusterCa('c1', T0);
  const etcdCa = await createClusterCa('c1', T0, 'berth-etcd-ca');
  const time = T0.toISOString();
  const tokens = { worker: makeJoinToken(ca.certPem, newJoinSecret()), manager: makeJoinToken(ca.certPem, newJoinSecret()) };
  await ManagerControl.bootstrap(store, { id: 'c1', createdAt: time, updatedAt: time, caCertPem: ca.certPem, caKeyPem: ca.keyPem, etcdCa, tokens },
    { ...makeNode('m1', { role: 'manager' }), managerAddr: '10.0.0.1:2377' });
  const backend = new StoreManagerBackend({ store, heartbeats, etcd: new ExternalEtcd(['http://10.0.0.1:2379']), clock: { now: () => T0 } });
  return { backend, store, heartbeats, tokens, caCertPem: ca.certPem };
}

async function call(token: string): Promise<JoinCall> {
  const key = await generateNodeKey();
  return { token, publicKeyPem: key.publicKeyPem, description: makeNode('x').description, addr: '10.0.0.7', port: 2377 };
}

test('a join with the worker token makes a worker node with a certificate of the cluster CA and a live heartbeat', async () => {
  const { backend, store, heartbeats, tokens, caCertPem } = await setup();
  const answer = await backend.join(await call(tokens.worker), '10.0.0.7');
  assert.equal(answer.role, 'worker');
  assert.equal(answer.etcd, undefined);
  assert.deepEqual(answer.managers, [{ nodeId: 'm1', addr: '10.0.0.1:2377' }]);
  const identity = readNodeCertificate(answer.certPem, caCertPem);
  assert.deepEqual([identity.nodeId, identity.role, identity.clusterId], [answer.nodeId, 'worker', 'c1']);
  assert.equal((await store.get('node', answer.nodeId)) !== undefined, true);
  assert.equal((await heartbeats.alive()).has(answer.nodeId), true);
});

test('a join with the manager token makes a manager and says how to reach etcd', async () => {
  const { backend, tokens } = await setup();
  const answer = await backend.join(await call(tokens.manager), '10.0.0.7');
  assert.equal(answer.role, 'manager');
  assert.deepEqual(answer.etcd, { mode: 'external', endpoints: ['http://10.0.0.1:2379'] });
});

test('a wrong secret, or a token of another cluster\'s CA, is refused and changes nothing', async () => {
  const { backend, store, tokens } = await setup();
  const other = await createClusterCa('c2', T0);
  const digestPart = tokens.worker.split('-')[2] ?? '';
  for (const token of [`SWMTKN-1-${digestPart}-${newJoinSecret()}`, makeJoinToken(other.certPem, newJoinSecret())]) {
    await assert.rejects(backend.join(await call(token), '10.0.0.7'), (err) => isBerthError(err, 'permission-denied') && err.reason === 'join-refused');
  }
  assert.equal((await store.list('node')).items.length, 1);
});

test('reports move a task forward only, and only from its own node; removed nodes are refused', async () => {
  const { backend, store } = await setup();
  await store.create('node', 'w1', storedValue(makeNode('w1')));
  const task = makeTask('t1', makeService('s1'), { nodeId: 'w1', state: 'assigned' });
  await store.create('task', 't1', storedValue(task));
  const at = (state: 'running' | 'starting' | 'failed'): { taskId: string; status: { state: typeof state; message: string; timestamp: string } } => ({ taskId: 't1', status: { state, message: state, timestamp: T0.toISOString() } });
  await backend.report('w1', [at('running')]);
  await backend.report('w1', [at('starting')]);
  assert.equal((await readTask(store, 't1'))?.status.state, 'running');
  await backend.report('w1', [at('failed')]);
  await backend.report('w1', [at('running')]);
  assert.equal((await readTask(store, 't1'))?.status.state, 'failed');
  await assert.rejects(backend.report('m1', [at('failed')]), (err) => isBerthError(err, 'permission-denied') && err.reason === 'task-not-assigned');
  await assert.rejects(backend.heartbeat('gone'), (err) => isBerthError(err, 'permission-denied') && err.reason === 'node-removed');
});

test('a long poll for assignments answers when one of the node\'s tasks changes', async () => {
  const { backend, store } = await setup();
  await store.create('node', 'w1', storedValue(makeNode('w1')));
  const service = makeService('s1');
  await store.create('service', 's1', storedValue(service));
  const first = await backend.assignments('w1', 0, new AbortController().signal);
  assert.deepEqual(first.tasks, []);
  const waiting = backend.assignments('w1', first.revision, new AbortController().signal);
  await store.create('task', 't1', storedValue(makeTask('t1', service, { nodeId: 'w1', state: 'assigned' })));
  const next = await waiting;
  assert.deepEqual(next.tasks.map((t) => t.id), ['t1']);
  assert.deepEqual(next.serviceNames, { s1: 's1' });
});

test('a node whose spec asks for another role gets a certificate of that role; a manager\'s address follows', async () => {
  const { backend, store, heartbeats, caCertPem } = await setup();
  const worker: Node = { ...makeNode('w1'), portAddr: '10.0.0.7:2400' };
  await store.create('node', 'w1', storedValue(worker));
  const key = await generateNodeKey();
  const beat = await backend.heartbeat('w1');
  assert.equal(beat.role, 'worker');
  assert.equal(heartbeats.ttls.get('w1'), 15);
  await backend.heartbeat('w1', true);
  assert.equal(heartbeats.ttls.get('w1'), 30, 'a node about to restart its parts in another role gets a longer lease');
  const setRole = async (role: 'manager' | 'worker'): Promise<void> => {
    const node = await readNode(store, 'w1');
    assert.ok(node);
    const changed: Node = { ...node, spec: { ...node.spec, role } };
    await store.update('node', 'w1', storedValue(changed), node.version);
  };
  await setRole('manager');
  assert.equal((await backend.heartbeat('w1')).role, 'manager');
  const promoted = await backend.changeRole('w1', { publicKeyPem: key.publicKeyPem }, 'worker');
  assert.equal(readNodeCertificate(promoted.certPem, caCertPem).role, 'manager');
  assert.deepEqual(promoted.etcd, { mode: 'external', endpoints: ['http://10.0.0.1:2379'] });
  assert.deepEqual(promoted.managers.map((m) => m.addr).sort(), ['10.0.0.1:2377', '10.0.0.7:2400']);
  await setRole('worker');
  const demoted = await backend.changeRole('w1', { publicKeyPem: key.publicKeyPem }, 'manager');
  assert.equal(readNodeCertificate(demoted.certPem, caCertPem).role, 'worker');
  assert.equal(demoted.etcd, undefined);
  assert.equal((await readNode(store, 'w1'))?.managerAddr, undefined);
  await assert.rejects(backend.changeRole('gone', { publicKeyPem: key.publicKeyPem }, 'worker'), (err) => isBerthError(err, 'permission-denied') && err.reason === 'node-removed');
});
