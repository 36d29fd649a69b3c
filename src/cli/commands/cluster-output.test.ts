import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SwarmClusterInfo } from '../../wire/swarm.js';
import type { SwarmInfo } from '../../wire/system.js';
import { etcdEndpoints, joinRole } from './cluster-actions.js';
import { initMessage, joinInstructions, statusText } from './cluster-output.js';

test('cluster init prints the node id and the join command for a worker, as docker swarm init does', () => {
  assert.equal(initMessage('n1', 'BERTH-TOKEN', '10.0.0.2:2377'), [
    'Cluster initialized: current node (n1) is now a manager.',
    '',
    'To add a worker to this cluster, run the following command:',
    '',
    '    berth cluster join --token BERTH-TOKEN 10.0.0.2:2377',
    '',
    'To add a manager to this cluster, run \'berth cluster join-token manager\' and follow the instructions.',
    '',
  ].join('\n'));
  assert.match(joinInstructions('manager', 'T', '10.0.0.2:2377'), /^To add a manager to this cluster/);
});

const swarm: SwarmInfo = {
  NodeID: 'n1', NodeAddr: '10.0.0.2', LocalNodeState: 'active', ControlAvailable: true, Error: '',
  RemoteManagers: [{ NodeID: 'n1', Addr: '10.0.0.2:2377' }], Nodes: 3, Managers: 1, Cluster: { ID: 'c1' } as SwarmClusterInfo,
};

test('cluster status: this node\'s state, id, role, the cluster id and counts', () => {
  assert.equal(statusText(swarm), [
    'Cluster:       active',
    'Node ID:       n1',
    'Node Address:  10.0.0.2',
    'Is Manager:    true',
    'Cluster ID:    c1',
    'Managers:      1',
    'Nodes:         3',
    'Manager Addresses:',
    '  10.0.0.2:2377',
    '',
  ].join('\n'));
  assert.equal(statusText({ ...swarm, LocalNodeState: 'inactive', ControlAvailable: false, RemoteManagers: null }), 'Cluster:  inactive\n');
  assert.equal(statusText({ ...swarm, ControlAvailable: false }).includes('Cluster ID'), false);
});

test('cluster flags: etcd endpoints are URLs, a join token\'s role is worker or manager', () => {
  assert.deepEqual(etcdEndpoints('http://10.0.0.5:2379, https://e2:2379'), ['http://10.0.0.5:2379', 'https://e2:2379']);
  assert.deepEqual(etcdEndpoints(undefined), []);
  assert.throws(() => etcdEndpoints('10.0.0.5:2379'), /--etcd-endpoints 10\.0\.0\.5:2379: want etcd client URLs/);
  assert.equal(joinRole('manager'), 'manager');
  assert.throws(() => joinRole('admin'), /join-token admin: want worker or manager/);
});
