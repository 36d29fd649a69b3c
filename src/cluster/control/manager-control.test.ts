import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { MemoryClusterStore } from '../store/memory-cluster-store.js';
import { MemoryHeartbeats } from '../store/memory-heartbeats.js';
import { createClusterCa, makeJoinToken, newJoinSecret } from '../trust/index.js';
import { makeNode, T0 } from '../../../test/support/cluster-fixtures.js';
import { ManagerControl } from './manager-control.js';
import { DataKeyring } from './data-keyring.js';
import { storedValue } from './stored-objects.js';

/** These tests make no secrets: the keyring's file is never written. */
const unusedKeyring = new DataKeyring({ file: '/nonexistent/data-keys.json', fetch: () => Promise.resolve([]) });

async function control(): Promise<{ control: ManagerControl; store: MemoryClusterStore; heartbeats: MemoryHeartbeats }> {
  const store = new MemoryClusterStore();
  const heartbeats = new MemoryHeartbeats();
  const ca = await createClusterCa('c1', T0);
  const etcdCa = await createClusterCa('c1', T0, 'berth-etcd-ca');
  const time = T0.toISOString();
  await ManagerControl.bootstrap(store, {
    id: 'c1', createdAt: time, updatedAt: time, caCertPem: ca.certPem, caKeyPem: ca.keyPem, etcdCa,
    tokens: { worker: makeJoinToken(ca.certPem, newJoinSecret()), manager: makeJoinToken(ca.certPem, newJoinSecret()) },
  }, { ...makeNode('m1', { role: 'manager', hostname: 'alpha' }), managerAddr: '10.0.0.1:2377' });
  return { control: new ManagerControl({ store, heartbeats, clock: { now: () => T0 }, leader: () => Promise.resolve('m1'), keyring: unusedKeyring }), store, heartbeats };
}

const spec = (name: string): { name: string; taskTemplate: { containerSpec: { image: string } } } => ({ name, taskTemplate: { containerSpec: { image: 'busybox' } } });

test('two services never share a name: create and rename both refuse a name in use, and a removed service frees its name', async () => {
  const { control: c } = await control();
  const web = await c.createService(spec('web'));
  await assert.rejects(c.createService(spec('web')), (err) => isBerthError(err, 'conflict') && err.reason === 'service-name-in-use');
  const api = await c.createService(spec('api'));
  await assert.rejects(c.updateService(api.id, api.version, spec('web')), (err) => isBerthError(err, 'conflict') && err.reason === 'service-name-in-use');
  const renamed = await c.updateService(api.id, api.version, spec('backend'));
  assert.equal(renamed.spec.name, 'backend');
  await c.createService(spec('api'));
  await c.removeService('web');
  await c.createService(spec('web'));
  assert.notEqual((await c.getService('web')).id, web.id);
});

test('services resolve by id, unique id prefix or name; an update with an old version is out of sequence', async () => {
  const { control: c } = await control();
  const web = await c.createService(spec('web'));
  assert.equal((await c.getService(web.id.slice(0, 6))).id, web.id);
  assert.equal((await c.getService('web')).id, web.id);
  await assert.rejects(c.getService('nope'), (err) => isBerthError(err, 'not-found'));
  await c.updateService(web.id, web.version, spec('web'));
  await assert.rejects(c.updateService(web.id, web.version, spec('web')), (err) => isBerthError(err, 'conflict') && /out of sequence/.test(err.message));
  await assert.rejects(c.createService({ name: 'bad', taskTemplate: { containerSpec: { image: 'busybox' }, placement: { constraints: ['node.zone=eu'] } } }), (err) => isBerthError(err, 'invalid-argument'));
});

test('nodes: managers show leadership; a live worker is removed only with force; the last manager is not demoted', async () => {
  const { control: c, store } = await control();
  await store.create('node', 'w1', storedValue(makeNode('w1', { hostname: 'beta' })));
  const nodes = await c.listNodes();
  assert.deepEqual(nodes.map((n) => [n.node.id, n.manager?.leader]), [['m1', true], ['w1', undefined]]);
  const update = async (id: string, role: 'manager' | 'worker', availability: 'active' | 'drain' = 'active', labels: Record<string, string> = {}): Promise<void> => {
    await c.updateNode(id, (await c.getNode(id)).node.version, { role, availability, labels });
  };
  const lastManager = (err: unknown): boolean => isBerthError(err, 'failed-precondition') && err.reason === 'last-manager';
  await assert.rejects(update('m1', 'worker'), lastManager);
  await update('w1', 'manager');
  await update('m1', 'worker');
  assert.deepEqual([(await c.getNode('m1')).node.spec.role, (await c.getNode('w1')).node.spec.role], ['worker', 'manager']);
  await assert.rejects(update('w1', 'worker'), lastManager);
  await update('m1', 'manager');
  await update('w1', 'worker', 'drain', { zone: 'eu' });
  assert.deepEqual((await c.getNode('w1')).node.spec, { role: 'worker', availability: 'drain', labels: { zone: 'eu' } });
  await assert.rejects(c.removeNode('w1', false), (err) => isBerthError(err, 'failed-precondition') && err.reason === 'node-not-down');
  await assert.rejects(c.removeNode('m1', true), (err) => isBerthError(err, 'failed-precondition') && err.reason === 'node-is-manager');
  await c.removeNode('w1', true);
  assert.equal((await c.listNodes()).length, 1);
});

test('a rotated join token replaces the old one', async () => {
  const { control: c } = await control();
  const before = await c.inspect();
  await c.rotateJoinToken('worker');
  const after = await c.inspect();
  assert.notEqual(after.joinTokens.worker, before.joinTokens.worker);
  assert.equal(after.joinTokens.manager, before.joinTokens.manager);
  assert.ok(after.joinTokens.worker.startsWith('SWMTKN-1-'));
});

test('promote lets a canary that holds go on; without one it is refused saying what the update is doing', async () => {
  const { control: c, store } = await control();
  const web = await c.createService(spec('web'));
  await assert.rejects(c.promoteService('web'), (err) => isBerthError(err, 'failed-precondition') && err.reason === 'no-canary-to-promote' && /has no update under way/.test(err.message));
  const held = { ...web, updateStatus: { state: 'paused' as const, message: 'canary: 1 of 4 tasks updated', canary: 'holding' as const } };
  await store.commit([{ op: 'put', kind: 'service', id: web.id, value: storedValue(held), expect: web.version }]);
  const promoted = await c.promoteService('web');
  assert.deepEqual(promoted.updateStatus, { state: 'updating', message: 'canary promoted: the update goes on', canary: 'promoted' });
  await assert.rejects(c.promoteService('web'), (err) => isBerthError(err, 'failed-precondition') && /its update is updating \(its canary was promoted\)/.test(err.message));
});

test('a job runs again on every update; a job cannot become a service, nor be rolled back', async () => {
  const { control: c } = await control();
  const job = await c.createService({ ...spec('batch'), mode: { kind: 'replicated-job', totalCompletions: 2 } });
  assert.equal(job.jobStatus?.iteration, 1);
  const again = await c.updateService(job.id, job.version, { ...spec('batch'), mode: { kind: 'replicated-job', totalCompletions: 3 } });
  assert.equal(again.jobStatus?.iteration, 2);
  await assert.rejects(c.updateService(again.id, again.version, spec('batch')), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'mode-change');
  await assert.rejects(c.updateService(again.id, again.version, { ...spec('batch'), mode: { kind: 'replicated-job' } }, { rollback: true }), (err) => isBerthError(err, 'failed-precondition') && err.reason === 'job-rollback');
  const scheduled = await c.createService({ ...spec('nightly'), mode: { kind: 'global-job' }, schedule: { cron: '@daily' } });
  assert.deepEqual(scheduled.jobStatus, { iteration: 0, message: '' }, 'a scheduled job waits for its schedule');
});
