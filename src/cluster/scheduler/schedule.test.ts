import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CPU, GiB, makeNode, makeService, makeTask, MiB } from '../../../test/support/cluster-fixtures.js';
import type { Node } from '../objects/node.js';
import type { Task } from '../objects/task.js';
import { seededRandom } from './random.js';
import { schedule, type Plan } from './schedule.js';

const options = { random: seededRandom(7) };

function perNode(plan: Plan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { nodeId } of plan.assignments) counts[nodeId] = (counts[nodeId] ?? 0) + 1;
  return counts;
}

function pending(service: ReturnType<typeof makeService>, count: number, prefix = 't'): Task[] {
  return Array.from({ length: count }, (_, i) => makeTask(`${prefix}${i + 1}`, service, { slot: i + 1 }));
}

test('6 replicas over 3 nodes: 2 each', () => {
  const nodes = ['a', 'b', 'c'].map((id) => makeNode(id));
  const plan = schedule({ nodes, tasks: [] }, pending(makeService('web'), 6), options);
  assert.deepEqual(perNode(plan), { a: 2, b: 2, c: 2 });
  assert.equal(plan.unplaced.length, 0);
});

test('anti-affinity counts the tasks already running', () => {
  const service = makeService('web');
  const nodes = ['a', 'b', 'c'].map((id) => makeNode(id));
  const running = [makeTask('r1', service, { nodeId: 'a' }), makeTask('r2', service, { nodeId: 'a' }), makeTask('r3', service, { nodeId: 'b' })];
  const plan = schedule({ nodes, tasks: running }, pending(service, 3), options);
  assert.deepEqual(perNode(plan), { b: 1, c: 2 });
});

test('spread preference over zone labels, then over nodes within a zone', () => {
  const nodes = [
    makeNode('a1', { labels: { zone: 'a' } }), makeNode('a2', { labels: { zone: 'a' } }), makeNode('a3', { labels: { zone: 'a' } }),
    makeNode('b1', { labels: { zone: 'b' } }),
    makeNode('c1', { labels: { zone: 'c' } }),
  ];
  const service = makeService('web', { taskTemplate: { containerSpec: { image: 'x' }, placement: { preferences: [{ spread: 'node.labels.zone' }] } } });
  const plan = schedule({ nodes, tasks: [] }, pending(service, 9), options);
  const byZone: Record<string, number> = {};
  for (const [nodeId, count] of Object.entries(perNode(plan))) byZone[nodeId[0] ?? ''] = (byZone[nodeId[0] ?? ''] ?? 0) + count;
  assert.deepEqual(byZone, { a: 3, b: 3, c: 3 }, 'each zone gets a third, whatever its node count');
  const counts = perNode(plan);
  assert.deepEqual([counts.a1, counts.a2, counts.a3], [1, 1, 1]);
});

test('max replicas per node', () => {
  const nodes = ['a', 'b'].map((id) => makeNode(id));
  const service = makeService('web', { taskTemplate: { containerSpec: { image: 'x' }, placement: { maxReplicas: 2 } } });
  const plan = schedule({ nodes, tasks: [] }, pending(service, 5), options);
  assert.deepEqual(perNode(plan), { a: 2, b: 2 });
  assert.equal(plan.unplaced.length, 1);
  assert.equal(plan.unplaced[0]?.reason, 'no suitable node: 2 nodes max replicas per node (2) reached');
});

test('reservations that do not fit are refused with the largest free amount', () => {
  const nodes = [
    makeNode('a', { memoryBytes: 4 * GiB }), makeNode('b', { memoryBytes: 4 * GiB }), makeNode('c', { memoryBytes: 2 * GiB }),
    makeNode('eu1', { memoryBytes: 16 * GiB, labels: { zone: 'us' } }), makeNode('eu2', { memoryBytes: 16 * GiB }),
  ];
  const other = makeService('other', { taskTemplate: { containerSpec: { image: 'x' }, resources: { reservations: { memoryBytes: Math.round(2.9 * GiB) } } } });
  const running = [makeTask('r1', other, { nodeId: 'a' }), makeTask('r2', other, { nodeId: 'b' }), makeTask('r3', other, { nodeId: 'c' })];
  const service = makeService('big', {
    taskTemplate: {
      containerSpec: { image: 'x' },
      resources: { reservations: { memoryBytes: 2 * GiB } },
      placement: { constraints: ['node.labels.zone==eu'] },
    },
  });
  const noZone = makeNode('z', { labels: { zone: 'eu' }, memoryBytes: 4 * GiB });
  const plan = schedule({ nodes, tasks: running }, pending(service, 1), options);
  assert.equal(plan.unplaced[0]?.reason, 'no suitable node: 5 nodes constraint node.labels.zone==eu not met');
  const fits = schedule({ nodes: [...nodes, noZone], tasks: running }, pending(service, 3), options);
  assert.deepEqual(perNode(fits), { z: 2 });
  assert.equal(fits.unplaced.length, 1);
  assert.equal(
    fits.unplaced[0]?.reason,
    'no suitable node: 5 nodes constraint node.labels.zone==eu not met; 1 node insufficient memory (need 2 GiB, largest free 0 B)',
  );
  const everywhere = makeService('big2', { taskTemplate: { containerSpec: { image: 'x' }, resources: { reservations: { memoryBytes: 2 * GiB } } } });
  const short = schedule({ nodes: nodes.slice(0, 3), tasks: running }, pending(everywhere, 1), options);
  assert.equal(short.unplaced[0]?.reason, 'no suitable node: 3 nodes insufficient memory (need 2 GiB, largest free 1.1 GiB)');
  assert.deepEqual(short.unplaced.map((u) => u.rejections.map((g) => [g.key, g.nodes])), [[['memory', 3]]]);
});

test('CPU reservations count too', () => {
  const nodes = [makeNode('a', { nanoCpus: 2 * CPU })];
  const service = makeService('cpu', { taskTemplate: { containerSpec: { image: 'x' }, resources: { reservations: { nanoCpus: 1.5 * CPU } } } });
  const plan = schedule({ nodes, tasks: [] }, pending(service, 2), options);
  assert.equal(plan.assignments.length, 1);
  assert.equal(plan.unplaced[0]?.reason, 'no suitable node: 1 node insufficient CPU (need 1.5, largest free 0.5)');
});

test('drained, paused, down and not-ready nodes take no new tasks, and say so', () => {
  const nodes: Node[] = [
    makeNode('d', { availability: 'drain' }), makeNode('p', { availability: 'pause' }),
    makeNode('x', { state: 'down' }), makeNode('u', { state: 'unknown' }),
  ];
  const plan = schedule({ nodes, tasks: [] }, pending(makeService('web'), 1), options);
  assert.equal(plan.unplaced[0]?.reason, 'no suitable node: 1 node drained; 1 node paused; 1 node down; 1 node not ready');
  const withActive = schedule({ nodes: [...nodes, makeNode('ok')], tasks: [] }, pending(makeService('web'), 2), options);
  assert.deepEqual(perNode(withActive), { ok: 2 });
  assert.equal(schedule({ nodes: [], tasks: [] }, pending(makeService('web'), 1), options).unplaced[0]?.reason, 'no suitable node: the cluster has no nodes');
});

test('bin-pack fills the fullest node that fits; spread the emptiest', () => {
  const nodes = [makeNode('a', { memoryBytes: 8 * GiB }), makeNode('b', { memoryBytes: 8 * GiB })];
  const other = makeService('other', { taskTemplate: { containerSpec: { image: 'x' }, resources: { reservations: { memoryBytes: 4 * GiB } } } });
  const running = [makeTask('r1', other, { nodeId: 'a' })];
  const service = makeService('web', { taskTemplate: { containerSpec: { image: 'x' }, resources: { reservations: { memoryBytes: 512 * MiB } } } });
  const packed = schedule({ nodes, tasks: running }, pending(service, 1), { ...options, resourceStrategy: 'binpack' });
  assert.deepEqual(perNode(packed), { a: 1 });
  const spread = schedule({ nodes, tasks: running }, pending(service, 1), { ...options, resourceStrategy: 'spread' });
  assert.deepEqual(perNode(spread), { b: 1 });
});

test('a task pinned to a node (global) is checked against that node only', () => {
  const nodes = [makeNode('a'), makeNode('b', { availability: 'drain' })];
  const service = makeService('g', { mode: { kind: 'global' } });
  const plan = schedule({ nodes, tasks: [] }, [makeTask('ta', service, { }), makeTask('tb', service, {})].map((t, i) => ({ ...t, nodeId: i === 0 ? 'a' : 'b' })), options);
  assert.deepEqual(plan.assignments.map((a) => [a.taskId, a.nodeId]), [['ta', 'a']]);
  assert.deepEqual(plan.unplaced.map((u) => [u.taskId, u.reason]), [['tb', 'no suitable node: 1 node drained']]);
});

test('a spec whose constraints do not parse is unplaced with the error', () => {
  const service = makeService('web');
  const task = makeTask('t1', service);
  const broken = { ...task, spec: { ...task.spec, placement: { ...task.spec.placement, constraints: ['node.zone==eu'] } } };
  const plan = schedule({ nodes: [makeNode('a')], tasks: [] }, [broken], options);
  assert.match(plan.unplaced[0]?.reason ?? '', /^cannot place: .*unknown key "node.zone"/);
});

test('deterministic with a seed; the score limit still spreads', () => {
  const nodes = Array.from({ length: 300 }, (_, i) => makeNode(`n${i}`, { labels: { zone: `z${i % 3}` } }));
  const service = makeService('web', { taskTemplate: { containerSpec: { image: 'x' }, placement: { preferences: [{ spread: 'node.labels.zone' }] } } });
  const tasks = pending(service, 600);
  const one = schedule({ nodes, tasks: [] }, tasks, { random: seededRandom(42), scoreLimit: 20 });
  const two = schedule({ nodes, tasks: [] }, tasks, { random: seededRandom(42), scoreLimit: 20 });
  assert.deepEqual(one, two);
  const other = schedule({ nodes, tasks: [] }, tasks, { random: seededRandom(43), scoreLimit: 20 });
  assert.notDeepEqual(one.assignments, other.assignments);
  const counts = perNode(one);
  assert.ok(Math.max(...Object.values(counts)) <= 3, 'no node far above the mean of 2');
  const byZone = [0, 0, 0];
  for (const [nodeId, count] of Object.entries(counts)) byZone[Number(nodeId.slice(1)) % 3]! += count;
  assert.deepEqual(byZone, [200, 200, 200]);
});
