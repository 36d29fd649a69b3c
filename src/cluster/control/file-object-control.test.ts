import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { MemoryClusterStore } from '../store/memory-cluster-store.js';
import { MemoryHeartbeats } from '../store/memory-heartbeats.js';
import { createClusterCa, makeJoinToken, newDataKey, newJoinSecret } from '../trust/index.js';
import { makeNode, T0 } from '../../../test/support/cluster-fixtures.js';
import type { Secret } from '../objects/secret.js';
import { newTask } from '../objects/task.js';
import { isUpToDate } from '../scheduler/rolling-update.js';
import { readClusterRecord } from './cluster-record.js';
import { DataKeyring, readDataKeys, writeDataKeys } from './data-keyring.js';
import { ManagerControl } from './manager-control.js';

const PLAIN = 'correct-horse-battery-staple';

async function manager(t: { after: (fn: () => Promise<void>) => void }): Promise<{ control: ManagerControl; store: MemoryClusterStore; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'berth-file-objects-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'data-keys.json');
  const key = newDataKey(T0);
  await writeDataKeys(file, [key]);
  const store = new MemoryClusterStore();
  const ca = await createClusterCa('c1', T0);
  const etcdCa = await createClusterCa('c1', T0, 'berth-etcd-ca');
  const time = T0.toISOString();
  await ManagerControl.bootstrap(store, {
    id: 'c1', createdAt: time, updatedAt: time, caCertPem: ca.certPem, caKeyPem: ca.keyPem, etcdCa, dataKeyId: key.id,
    tokens: { worker: makeJoinToken(ca.certPem, newJoinSecret()), manager: makeJoinToken(ca.certPem, newJoinSecret()) },
  }, { ...makeNode('m1', { role: 'manager', hostname: 'alpha' }), managerAddr: '10.0.0.1:2377' });
  const keyring = new DataKeyring({ file, fetch: () => Promise.reject(new Error('no other manager')) });
  const control = new ManagerControl({ store, heartbeats: new MemoryHeartbeats(), clock: { now: () => T0 }, leader: () => Promise.resolve('m1'), keyring });
  return { control, store, file };
}

/** Every stored value, as one text. */
async function storeText(store: MemoryClusterStore): Promise<string> {
  const kinds = ['cluster', 'secret', 'secret-name', 'config', 'service', 'task'] as const;
  const listings = await Promise.all(kinds.map((kind) => store.list(kind)));
  return JSON.stringify(listings.flatMap((l) => l.items.map((i) => i.value)));
}

test('a secret is sealed in the store, opens for the tasks that use it, and its key file is 0600', async (t) => {
  const { control, store, file } = await manager(t);
  const secret = await control.files.create('secret', { name: 'db-password' }, Buffer.from(PLAIN)) as Secret;
  assert.equal(secret.sealed.keyId, (await readClusterRecord(store)).record.dataKeyId);
  const text = await storeText(store);
  assert.ok(!text.includes(PLAIN) && !text.includes(Buffer.from(PLAIN).toString('base64')), 'the plain value is not in the store');
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  const service = await control.createService({ name: 'web', taskTemplate: { containerSpec: { image: 'busybox', secrets: [{ name: 'db-password', target: 'db-password' }] } } });
  assert.equal(service.spec.taskTemplate.containerSpec.secrets?.[0]?.id, secret.id, 'the name resolves to the id');
  const task = { ...newTask(service, { id: 't1', slot: 1, now: T0 }), desiredState: 'running' as const };
  const files = await control.files.filesFor([task], () => undefined);
  assert.deepEqual(files, [{ kind: 'secret', id: secret.id, data: Buffer.from(PLAIN).toString('base64') }]);
});

test('names: one per kind, Swarm\'s characters; data below 500 KiB (a config 1000 KiB), not empty', async (t) => {
  const { control } = await manager(t);
  await control.files.create('secret', { name: 'a.b_c-d' }, Buffer.from('x'));
  await assert.rejects(control.files.create('secret', { name: 'a.b_c-d' }, Buffer.from('y')), (err) => isBerthError(err, 'conflict') && err.reason === 'secret-name-in-use' && err.message.includes('a.b_c-d'));
  await control.files.create('config', { name: 'a.b_c-d' }, Buffer.from('y'));
  await assert.rejects(control.files.create('secret', { name: 'bad/name' }, Buffer.from('x')), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'invalid-secret-spec');
  await assert.rejects(control.files.create('secret', { name: '-dash' }, Buffer.from('x')), (err) => isBerthError(err, 'invalid-argument'));
  await assert.rejects(control.files.create('secret', { name: 'big' }, Buffer.alloc(500 * 1024)), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'secret-too-large');
  await assert.rejects(control.files.create('config', { name: 'big' }, Buffer.alloc(1000 * 1024)), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'config-too-large');
  await control.files.create('secret', { name: 'fits' }, Buffer.alloc(500 * 1024 - 1));
  await assert.rejects(control.files.create('secret', { name: 'empty' }, Buffer.alloc(0)), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'secret-empty');
  await control.files.create('config', { name: 'just-fits' }, Buffer.alloc(1000 * 1024 - 1));
});

test('a secret a service uses is not removed (the error names the service); once unused it goes with its name', async (t) => {
  const { control } = await manager(t);
  await control.files.create('secret', { name: 's1' }, Buffer.from('x'));
  await control.createService({ name: 'api', taskTemplate: { containerSpec: { image: 'busybox', secrets: [{ name: 's1', target: 's1' }] } } });
  await assert.rejects(control.files.remove('secret', 's1'), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'secret-in-use' && err.message.includes('api'));
  assert.equal((await control.files.get('secret', 's1')).spec.name, 's1', 'nothing was removed');
  await control.removeService('api');
  await control.files.remove('secret', 's1');
  await assert.rejects(control.files.get('secret', 's1'), (err) => isBerthError(err, 'not-found'));
  await control.files.create('secret', { name: 's1' }, Buffer.from('again'));
});

test('a service naming an unknown secret is refused and nothing is stored', async (t) => {
  const { control } = await manager(t);
  await assert.rejects(control.createService({ name: 'web', taskTemplate: { containerSpec: { image: 'busybox', secrets: [{ name: 'nope', target: 'nope' }] } } }), (err) => isBerthError(err, 'not-found') && err.message.includes('nope'));
  assert.equal((await control.listServices()).length, 0);
});

test('labels change; name and data do not', async (t) => {
  const { control } = await manager(t);
  const secret = await control.files.create('secret', { name: 's', labels: { a: '1' } }, Buffer.from('v'));
  await assert.rejects(control.files.updateLabels('secret', secret.id, secret.version, { name: 's' }, Buffer.from('other')), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'secret-immutable');
  await assert.rejects(control.files.updateLabels('secret', secret.id, secret.version, { name: 't' }, undefined), (err) => isBerthError(err, 'invalid-argument'));
  await control.files.updateLabels('secret', secret.id, secret.version, { name: 's', labels: { b: '2' } }, Buffer.from('v'));
  assert.deepEqual((await control.files.get('secret', 's')).spec.labels, { b: '2' });
  await assert.rejects(control.files.updateLabels('secret', secret.id, secret.version, { name: 's' }, undefined), (err) => isBerthError(err, 'conflict'));
});

test('rotating the data key seals every secret again under the new key, which the record names; old keys stay', async (t) => {
  const { control, store, file } = await manager(t);
  const before = await control.files.create('secret', { name: 'one' }, Buffer.from(PLAIN)) as Secret;
  await control.files.create('secret', { name: 'two' }, Buffer.from('second'));
  const oldKey = before.sealed.keyId;
  const { keyId, resealed } = await control.files.rotateDataKey();
  assert.equal(resealed, 2);
  assert.notEqual(keyId, oldKey);
  assert.equal((await readClusterRecord(store)).record.dataKeyId, keyId);
  const secrets = await control.files.list('secret') as Secret[];
  assert.ok(secrets.every((s) => s.sealed.keyId === keyId));
  assert.deepEqual((await readDataKeys(file)).map((k) => k.id), [oldKey, keyId]);
  assert.ok(!(await readFile(file, 'utf8')).includes(PLAIN));
  const service = await control.createService({ name: 'web', taskTemplate: { containerSpec: { image: 'busybox', secrets: [{ name: 'one', target: 'one' }] } } });
  const task = { ...newTask(service, { id: 't1', slot: 1, now: T0 }), desiredState: 'running' as const };
  assert.equal(Buffer.from((await control.files.filesFor([task], () => undefined))[0]?.data ?? '', 'base64').toString(), PLAIN);
  const fresh = await control.files.create('secret', { name: 'three' }, Buffer.from('x')) as Secret;
  assert.equal(fresh.sealed.keyId, keyId);
});

test('a manager without the key a value names asks the other managers for it', async (t) => {
  const { control, store, file } = await manager(t);
  const secret = await control.files.create('secret', { name: 'one' }, Buffer.from(PLAIN)) as Secret;
  const keys = await readDataKeys(file);
  const other = join(file, '..', 'other-data-keys.json');
  let asked = 0;
  const keyring = new DataKeyring({ file: other, fetch: () => { asked++; return Promise.resolve(keys); } });
  const second = new ManagerControl({ store, heartbeats: new MemoryHeartbeats(), clock: { now: () => T0 }, leader: () => Promise.resolve('m1'), keyring });
  const service = await second.createService({ name: 'web', taskTemplate: { containerSpec: { image: 'busybox', secrets: [{ id: secret.id, name: 'one', target: 'one' }] } } });
  const task = { ...newTask(service, { id: 't1', slot: 1, now: T0 }), desiredState: 'running' as const };
  assert.equal(Buffer.from((await second.files.filesFor([task], () => undefined))[0]?.data ?? '', 'base64').toString(), PLAIN);
  assert.equal(asked, 1);
  assert.deepEqual((await readDataKeys(other)).map((k) => k.id), keys.map((k) => k.id), 'kept for next time');
  await second.files.filesFor([task], () => undefined);
  assert.equal(asked, 1);
});

test('a service switching to another secret is a new task template: its tasks are out of date', async (t) => {
  const { control } = await manager(t);
  await control.files.create('secret', { name: 'v1' }, Buffer.from('one'));
  await control.files.create('secret', { name: 'v2' }, Buffer.from('two'));
  const spec = (name: string) => ({ name: 'web', taskTemplate: { containerSpec: { image: 'busybox', secrets: [{ name, target: 'db' }] } } });
  const service = await control.createService(spec('v1'));
  const task = newTask(service, { id: 't1', slot: 1, now: T0 });
  assert.ok(isUpToDate(task, service.spec.taskTemplate));
  const updated = await control.updateService(service.id, service.version, spec('v2'));
  assert.ok(!isUpToDate(task, updated.spec.taskTemplate));
});
