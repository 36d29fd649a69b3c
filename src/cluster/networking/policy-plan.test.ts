import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, makeTask, T0 } from '../../../test/support/cluster-fixtures.js';
import { networkPolicySchema, type NetworkPolicy } from '../objects/network-policy.js';
import type { Task } from '../objects/task.js';
import { policiesForNetwork } from './policy-plan.js';

const NET = 'n'.repeat(64);
const on = (task: Task, address: string, network = NET): Task => ({ ...task, networks: [{ networkId: network, address: `${address}/24` }] });
const policy = (spec: unknown): NetworkPolicy => networkPolicySchema.parse({ id: 'p1', version: 1, createdAt: T0.toISOString(), updatedAt: T0.toISOString(), spec });

const web = makeService('web', { labels: { tier: 'front' } });
const api = makeService('api');
const db = makeService('db');
const tasks = [
  on(makeTask('w1', web, { slot: 1, nodeId: 'b' }), '10.0.1.3'),
  on(makeTask('w2', web, { slot: 2, nodeId: 'c', state: 'starting' }), '10.0.1.4'),
  on(makeTask('w0', web, { slot: 1, nodeId: 'b', state: 'failed', desiredState: 'shutdown' }), '10.0.1.9'),
  on(makeTask('a1', api, { slot: 1, nodeId: 'a' }), '10.0.1.5'),
  on(makeTask('d1', db, { slot: 1, nodeId: 'a' }), '10.0.2.5', 'other-network'),
];

test('a policy guards the live tasks of the services it selects (by name or labels); sources become their addresses on the same network, blocks stay; no sources: anywhere', () => {
  const policies = [
    policy({ name: 'web-in', target: { labels: { tier: 'front' } }, ingress: [{ from: [{ service: 'api' }, { cidr: '10.250.0.0/16' }], ports: [{ port: 80 }] }, { ports: [{ protocol: 'udp', port: 53 }] }] }),
    policy({ name: 'db-in', target: { service: 'db' }, ingress: [{ from: [{ service: 'web' }] }] }),
  ];
  assert.deepEqual(policiesForNetwork(NET, policies, [web, api, db], tasks), [{
    Name: 'web-in', Targets: ['10.0.1.3', '10.0.1.4'],
    Rules: [{ Sources: ['10.0.1.5/32', '10.250.0.0/16'], Ports: [{ Protocol: 'tcp', Port: 80 }] }, { Sources: null, Ports: [{ Protocol: 'udp', Port: 53 }] }],
  }], 'db has no task on this network: its policy is not carried here');
  const [dbIn] = policiesForNetwork('other-network', policies, [web, api, db], tasks);
  assert.deepEqual(dbIn, { Name: 'db-in', Targets: ['10.0.2.5'], Rules: [{ Sources: [], Ports: [] }] }, 'web has no task there: the rule admits nobody');
});
