import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, makeTask, T0 } from '../../../test/support/cluster-fixtures.js';
import { networkSpecSchema, type ClusterNetwork } from '../objects/network.js';
import type { Node } from '../objects/node.js';
import type { Task } from '../objects/task.js';
import { overlaysForNode } from './overlay-plan.js';

const time = T0.toISOString();
const front: ClusterNetwork = { id: 'f'.repeat(64), version: 1, createdAt: time, updatedAt: time, spec: networkSpecSchema.parse({ name: 'front', labels: { a: 'b' } }), subnet: '10.0.1.0/24', gateway: '10.0.1.1', vni: 4097, nodeAddresses: {} };
const nodeAt = (id: string, addr: string): Node => { const n = makeNode(id); return { ...n, status: { ...n.status, addr } }; };
const nodes = [nodeAt('a', '10.250.0.2'), nodeAt('b', '10.250.0.3'), nodeAt('c', '10.250.0.4')];
const on = (task: Task, address: string): Task => ({ ...task, networks: [{ networkId: front.id, address: `${address}/24` }] });

const web = { ...makeService('web', { taskTemplate: { containerSpec: { image: 'busybox' }, networks: [{ target: front.id, aliases: ['www'] }] } }), virtualIps: [{ networkId: front.id, address: '10.0.1.2/24' }] };
const client = makeService('client', { taskTemplate: { containerSpec: { image: 'busybox' }, networks: [{ target: front.id }] }, endpointMode: 'dnsrr' });
const tasks = [
  on(makeTask('w1', web, { slot: 1, nodeId: 'b' }), '10.0.1.3'),
  on(makeTask('w2', web, { slot: 2, nodeId: 'c' }), '10.0.1.4'),
  on(makeTask('w3', web, { slot: 3, nodeId: 'c', state: 'starting' }), '10.0.1.5'),
  on(makeTask('c1', client, { slot: 1, nodeId: 'a' }), '10.0.1.6'),
  on(makeTask('old', web, { slot: 1, nodeId: 'a', state: 'failed', desiredState: 'shutdown' }), '10.0.1.7'),
];

test('a node\'s overlay: the network, the other nodes with tasks on it, names (VIP, aliases, tasks.NAME, task names) and the VIP\'s running backends', () => {
  const [overlay, ...rest] = overlaysForNode('a', { nodes, networks: [front], services: [web, client], tasks });
  assert.equal(rest.length, 0);
  assert.deepEqual(overlay, {
    Id: front.id, Name: 'front', Subnet: '10.0.1.0/24', Gateway: '10.0.1.1', Vni: 4097, Internal: false, Attachable: false,
    Labels: { a: 'b' }, Options: {}, LocalAddress: '10.250.0.2', Peers: ['10.250.0.3', '10.250.0.4'],
    Names: [
      { Name: 'client', Addresses: ['10.0.1.6'] },
      { Name: 'tasks.client', Addresses: ['10.0.1.6'] },
      { Name: 'client.1.c1', Addresses: ['10.0.1.6'] },
      { Name: 'web', Addresses: ['10.0.1.2'] },
      { Name: 'www', Addresses: ['10.0.1.2'] },
      { Name: 'tasks.web', Addresses: ['10.0.1.3', '10.0.1.4'] },
      { Name: 'web.1.w1', Addresses: ['10.0.1.3'] },
      { Name: 'web.2.w2', Addresses: ['10.0.1.4'] },
    ],
    Balancers: [{ Vip: '10.0.1.2', Backends: ['10.0.1.3', '10.0.1.4'] }],
  });
});

test('a node with no task on a network has no overlay of it; a node peers only with nodes whose tasks hold an address', () => {
  const onlyWeb = tasks.filter((t) => t.serviceId === web.id);
  assert.deepEqual(overlaysForNode('a', { nodes, networks: [front], services: [web], tasks: onlyWeb.filter((t) => t.id !== 'old') }), []);
  const [overlay] = overlaysForNode('b', { nodes, networks: [front], services: [web, client], tasks });
  assert.deepEqual(overlay?.Peers, ['10.250.0.2', '10.250.0.4']);
});

test('the ingress network is on every node with an address on it, even without tasks: the bridge holds the node\'s own address, the peers are all such nodes, and each published port has the running tasks behind it', () => {
  const ingress: ClusterNetwork = {
    ...front, id: 'e'.repeat(64), spec: networkSpecSchema.parse({ name: 'ingress', ingress: true }), subnet: '10.0.0.0/24', gateway: '10.0.0.1', vni: 4096,
    nodeAddresses: { a: '10.0.0.2/24', b: '10.0.0.3/24', c: '10.0.0.4/24' },
  };
  const published = {
    ...makeService('pub', { taskTemplate: { containerSpec: { image: 'busybox' }, networks: [{ target: ingress.id, ingress: true }] } }),
    endpointPorts: [{ protocol: 'tcp' as const, targetPort: 80, publishedPort: 8080, publishMode: 'ingress' as const }, { protocol: 'tcp' as const, targetPort: 443, publishedPort: 443, publishMode: 'host' as const }],
  };
  const onIngress = (task: Task, address: string): Task => ({ ...task, networks: [{ networkId: ingress.id, address: `${address}/24` }] });
  const pubTasks = [onIngress(makeTask('p1', published, { slot: 1, nodeId: 'b' }), '10.0.0.5'), onIngress(makeTask('p2', published, { slot: 2, nodeId: 'b', state: 'starting' }), '10.0.0.6')];
  const [overlay, ...rest] = overlaysForNode('a', { nodes, networks: [ingress], services: [published], tasks: pubTasks });
  assert.equal(rest.length, 0);
  assert.ok(overlay);
  assert.equal(overlay.Gateway, '10.0.0.2');
  assert.deepEqual(overlay.Peers, ['10.250.0.3', '10.250.0.4']);
  assert.deepEqual(overlay.Names, []);
  assert.deepEqual(overlay.Ingress, { Ports: [{ Protocol: 'tcp', Port: 8080, TargetPort: 80, Backends: ['10.0.0.5'] }] });
  const withoutAddress = { ...ingress, nodeAddresses: { b: '10.0.0.3/24' } };
  assert.deepEqual(overlaysForNode('a', { nodes, networks: [withoutAddress], services: [published], tasks: pubTasks }), [], 'a node without an address waits for one');
});
