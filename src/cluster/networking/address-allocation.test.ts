import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, makeTask, T0 } from '../../../test/support/cluster-fixtures.js';
import type { ClusterNetwork } from '../objects/network.js';
import { networkSpecSchema } from '../objects/network.js';
import { allocateAddresses, needsAddresses } from './address-allocation.js';

function network(id: string, subnet: string, gateway: string): ClusterNetwork {
  const time = T0.toISOString();
  return { id, version: 1, createdAt: time, updatedAt: time, spec: networkSpecSchema.parse({ name: `net-${id}` }), subnet, gateway, vni: 4097, nodeAddresses: {} };
}

const front = network('front', '10.0.1.0/29', '10.0.1.1');
const networks = new Map([[front.id, front]]);
const onFront = { taskTemplate: { containerSpec: { image: 'busybox' }, networks: [{ target: 'front' }] } };

test('a vip service gets the lowest free address as its VIP, its new tasks the next ones; the gateway is never handed out', () => {
  const web = makeService('web', onFront);
  const tasks = [makeTask('t1', web, { slot: 1 }), makeTask('t2', web, { slot: 2 })];
  const result = allocateAddresses(networks, [web], tasks);
  assert.deepEqual(result.services.map((s) => s.virtualIps), [[{ networkId: 'front', address: '10.0.1.2/29' }]]);
  assert.deepEqual(result.tasks.map((t) => [t.id, t.networks]), [
    ['t1', [{ networkId: 'front', address: '10.0.1.3/29' }]],
    ['t2', [{ networkId: 'front', address: '10.0.1.4/29' }]],
  ]);
  assert.deepEqual(result.blocked, []);
});

test('addresses held by tasks that have not ended stay taken; ended tasks give theirs back, taken last; a full subnet blocks with the reason', () => {
  const web = { ...makeService('web', { ...onFront, endpointMode: 'dnsrr' }) };
  const holder = { ...makeTask('a', web, { nodeId: 'n1' }), networks: [{ networkId: 'front', address: '10.0.1.2/29' }] };
  const ended = { ...makeTask('b', web, { nodeId: 'n1', state: 'failed' }), networks: [{ networkId: 'front', address: '10.0.1.3/29' }] };
  const fresh = ['c', 'd', 'e', 'f', 'g'].map((id) => makeTask(id, web));
  const result = allocateAddresses(networks, [web], [holder, ended, ...fresh]);
  assert.deepEqual(result.services, []); // dnsrr: no VIP
  // .3 was the ended task's: the others come first, .3 only once they are gone.
  assert.deepEqual(result.tasks.map((t) => t.networks[0]?.address), ['10.0.1.4/29', '10.0.1.5/29', '10.0.1.6/29', '10.0.1.3/29']);
  assert.deepEqual(result.blocked.map((b) => [b.task.id, b.reason]), [['g', 'network net-front (10.0.1.0/29) has no free address']]);
  assert.equal(needsAddresses(holder), false);
  assert.equal(needsAddresses(fresh[0] ?? holder), true);
});

test('a VIP is released when the service leaves the network; a task on an unknown network is blocked', () => {
  const web = { ...makeService('web'), virtualIps: [{ networkId: 'front', address: '10.0.1.2/29' }] };
  assert.deepEqual(allocateAddresses(networks, [web], []).services.map((s) => s.virtualIps), [[]]);
  const lost = makeService('lost', { taskTemplate: { containerSpec: { image: 'busybox' }, networks: [{ target: 'gone' }] } });
  assert.deepEqual(allocateAddresses(networks, [lost], [makeTask('t', lost)]).blocked.map((b) => b.reason), ['network gone not found']);
});
