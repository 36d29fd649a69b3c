import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, makeTask } from '../../../test/support/cluster-fixtures.js';
import type { Node } from '../objects/node.js';
import { ClusterMetrics, readClusterState, type ClusterState } from './cluster-metrics.js';
import { countNodes, countServiceTasks } from './cluster-series.js';
import { MemoryClusterStore } from '../store/memory-cluster-store.js';
import { encodeObject } from '../objects/stored-object.js';

const withStatus = (node: Node, state: Node['status']['state']): Node => ({ ...node, status: { ...node.status, state } });

/** The sample lines of `name` in a scrape (`name{labels} value`). */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

test('nodes are counted by role, status and availability, every combination present', () => {
  const nodes = [
    withStatus(makeNode('m1', { role: 'manager' }), 'ready'),
    withStatus(makeNode('w1'), 'ready'),
    withStatus(makeNode('w2'), 'ready'),
    withStatus(makeNode('w3', { availability: 'drain' }), 'down'),
  ];
  const counts = countNodes(nodes);
  assert.equal(counts.length, 2 * 3 * 3);
  const of = (role: string, status: string, availability: string): number | undefined =>
    counts.find((c) => c.role === role && c.status === status && c.availability === availability)?.count;
  assert.equal(of('manager', 'ready', 'active'), 1);
  assert.equal(of('worker', 'ready', 'active'), 2);
  assert.equal(of('worker', 'down', 'drain'), 1);
  assert.equal(of('manager', 'down', 'active'), 0);
  assert.equal(counts.reduce((sum, c) => sum + c.count, 0), 4);
});

test('a service\'s desired tasks follow its mode; running ones are those whose current state is running', () => {
  const web = makeService('web', { mode: { kind: 'replicated', replicas: 3 } });
  const agent = makeService('agent', { mode: { kind: 'global' } });
  const job = makeService('job', { mode: { kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 5 } });
  const tasks = [
    makeTask('t1', web, { slot: 1, nodeId: 'n1', state: 'running' }),
    makeTask('t2', web, { slot: 2, nodeId: 'n2', state: 'starting' }),
    makeTask('t3', web, { slot: 3, state: 'pending' }),
    makeTask('t4', web, { slot: 1, nodeId: 'n1', state: 'shutdown', desiredState: 'shutdown' }),
    makeTask('g1', agent, { nodeId: 'n1', state: 'running' }),
    makeTask('g2', agent, { nodeId: 'n2', state: 'running' }),
    makeTask('g3', agent, { nodeId: 'n3', state: 'running', desiredState: 'shutdown' }),
  ];
  assert.deepEqual(countServiceTasks([web, agent, job], tasks), [
    { service: 'web', desired: 3, running: 1 },
    { service: 'agent', desired: 2, running: 3 },
    { service: 'job', desired: 2, running: 0 },
  ]);
});

test('a manager\'s scrape shows the state read once for all three gauges, leadership, scheduling and etcd calls', async () => {
  let now = 0;
  const metrics = new ClusterMetrics(() => undefined, () => now);
  const web = makeService('web', { mode: { kind: 'replicated', replicas: 2 } });
  let reads = 0;
  const state: ClusterState = {
    nodes: [withStatus(makeNode('m1', { role: 'manager' }), 'ready')],
    services: [web],
    tasks: [makeTask('t1', web, { slot: 1, nodeId: 'm1', state: 'running' }), makeTask('t2', web, { slot: 2, nodeId: 'm1', state: 'running' })],
  };
  metrics.readFrom(() => { reads += 1; return Promise.resolve(state); });
  metrics.leadership(true);
  metrics.scheduled(0.2);
  metrics.scheduled(0.03);
  const { etcdTiming } = metrics;
  now = 10;
  const started = etcdTiming.now();
  now = 12.5;
  etcdTiming.observe('txn', (etcdTiming.now() - started) / 1000);

  const text = await metrics.registry.metrics();
  assert.equal(reads, 1, 'one read per scrape');
  assert.ok(samples(text, 'berth_cluster_nodes').includes('berth_cluster_nodes{role="manager",status="ready",availability="active"} 1'));
  assert.equal(samples(text, 'berth_cluster_nodes').length, 18);
  assert.deepEqual(samples(text, 'berth_cluster_service_desired_tasks'), ['berth_cluster_service_desired_tasks{service="web"} 2']);
  assert.deepEqual(samples(text, 'berth_cluster_service_running_tasks'), ['berth_cluster_service_running_tasks{service="web"} 2']);
  assert.deepEqual(samples(text, 'berth_cluster_leader'), ['berth_cluster_leader 1']);
  assert.deepEqual(samples(text, 'berth_cluster_leader_changes_total'), ['berth_cluster_leader_changes_total 1']);
  assert.ok(samples(text, 'berth_cluster_scheduling_duration_seconds_count').includes('berth_cluster_scheduling_duration_seconds_count 2'));
  assert.ok(samples(text, 'berth_cluster_scheduling_duration_seconds_bucket').includes('berth_cluster_scheduling_duration_seconds_bucket{le="0.05"} 1'));
  assert.ok(samples(text, 'berth_cluster_etcd_request_duration_seconds_count').includes('berth_cluster_etcd_request_duration_seconds_count{operation="txn"} 1'));
  assert.ok(samples(text, 'berth_cluster_etcd_request_duration_seconds_bucket').includes('berth_cluster_etcd_request_duration_seconds_bucket{le="0.0025",operation="txn"} 1'));

  // A service removed is gone from the next scrape; leadership lost counts as a change.
  metrics.readFrom(() => Promise.resolve({ ...state, services: [], tasks: [] }));
  metrics.leadership(false);
  const next = await metrics.registry.metrics();
  assert.deepEqual(samples(next, 'berth_cluster_service_desired_tasks'), []);
  assert.deepEqual(samples(next, 'berth_cluster_leader'), ['berth_cluster_leader 0']);
  assert.deepEqual(samples(next, 'berth_cluster_leader_changes_total'), ['berth_cluster_leader_changes_total 2']);
});

test('without a manager\'s store, or when its read fails, a scrape has no state series; the failure is logged once until a read works', async () => {
  const logs: string[] = [];
  const metrics = new ClusterMetrics((message) => { logs.push(message); });
  const worker = await metrics.registry.metrics();
  assert.deepEqual(samples(worker, 'berth_cluster_nodes'), []);
  assert.deepEqual(samples(worker, 'berth_cluster_leader'), ['berth_cluster_leader 0']);

  metrics.readFrom(() => Promise.reject(new Error('etcd: deadline exceeded')));
  const failed = await metrics.registry.metrics();
  await metrics.registry.metrics();
  assert.deepEqual(samples(failed, 'berth_cluster_nodes'), []);
  assert.deepEqual(samples(failed, 'berth_cluster_service_running_tasks'), []);
  assert.equal(logs.length, 1);
  assert.match(logs[0] ?? '', /reading the cluster state failed .*deadline exceeded/);

  metrics.readFrom(() => Promise.resolve({ nodes: [makeNode('m1', { role: 'manager' })], services: [], tasks: [] }));
  const back = await metrics.registry.metrics();
  assert.ok(samples(back, 'berth_cluster_nodes').includes('berth_cluster_nodes{role="manager",status="ready",availability="active"} 1'));
  assert.equal(logs.length, 2);
});

test('the state is read from the store; a value that does not parse is left out with a log line', async () => {
  const store = new MemoryClusterStore();
  const web = makeService('web');
  await store.create('node', 'm1', encodeObject(makeNode('m1', { role: 'manager' })));
  await store.create('service', 'web', encodeObject(web));
  await store.create('task', 't1', encodeObject(makeTask('t1', web, { slot: 1, nodeId: 'm1' })));
  await store.create('task', 'bad', { serviceId: 7 });
  const logs: string[] = [];
  const state = await readClusterState(store, (message) => { logs.push(message); });
  assert.deepEqual(state.nodes.map((n) => n.id), ['m1']);
  assert.deepEqual(state.services.map((s) => s.id), ['web']);
  assert.deepEqual(state.tasks.map((t) => t.id), ['t1']);
  assert.equal(logs.length, 1);
  assert.match(logs[0] ?? '', /skipping task\/bad/);
});
