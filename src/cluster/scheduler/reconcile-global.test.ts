import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService, makeTask, nodeMap, T0 } from '../../../test/support/cluster-fixtures.js';
import { isBerthError } from '../../base/errors.js';
import { reconcileGlobal } from './reconcile-global.js';

const service = makeService('agent', { mode: { kind: 'global' }, taskTemplate: { containerSpec: { image: 'x' }, placement: { constraints: ['node.labels.tier!=db'] } } });

test('one task per eligible node, including a node that joins later', () => {
  const nodes = [makeNode('a'), makeNode('b'), makeNode('db', { labels: { tier: 'db' } }), makeNode('p', { availability: 'pause' }), makeNode('u', { state: 'unknown' })];
  const r = reconcileGlobal(service, [], nodeMap(nodes), T0);
  assert.deepEqual(r.create, [{ nodeId: 'a' }, { nodeId: 'b' }]);
  const tasks = r.create.map((c, i) => makeTask(`t${i}`, service, { nodeId: c.nodeId }));
  assert.deepEqual(reconcileGlobal(service, tasks, nodeMap(nodes), T0), { create: [], shutdown: [], replace: [] });
  const joined = [...nodes, makeNode('c')];
  assert.deepEqual(reconcileGlobal(service, tasks, nodeMap(joined), T0).create, [{ nodeId: 'c' }]);
  const ready = [...nodes.filter((n) => n.id !== 'u'), makeNode('u')];
  assert.deepEqual(reconcileGlobal(service, tasks, nodeMap(ready), T0).create, [{ nodeId: 'u' }], 'once ready');
});

test('tasks on drained, down, removed or no longer matching nodes are shut down, not moved', () => {
  const tasks = ['a', 'b', 'c', 'd', 'p'].map((nodeId) => makeTask(`t-${nodeId}`, service, { nodeId }));
  const nodes = nodeMap([
    makeNode('a'), makeNode('b', { availability: 'drain' }), makeNode('c', { state: 'down' }),
    makeNode('p', { availability: 'pause' }), makeNode('x', { labels: { tier: 'db' } }),
  ]);
  const withDb = [...tasks, makeTask('t-x', service, { nodeId: 'x' })];
  const r = reconcileGlobal(service, withDb, nodes, T0);
  assert.deepEqual(r.shutdown, [
    { taskId: 't-b', reason: 'node-drained' }, { taskId: 't-c', reason: 'node-down' },
    { taskId: 't-d', reason: 'node-removed' }, { taskId: 't-x', reason: 'node-ineligible' },
  ]);
  assert.deepEqual(r.create, [], 'the paused node keeps its task; nothing is placed elsewhere');
});

test('an ended task is replaced on its node; duplicates on one node are shut down', () => {
  const nodes = nodeMap([makeNode('a'), makeNode('b')]);
  const tasks = [makeTask('t1', service, { nodeId: 'a', state: 'failed' }), makeTask('t2', service, { nodeId: 'b' }), makeTask('t3', service, { nodeId: 'b', state: 'starting' })];
  const r = reconcileGlobal(service, tasks, nodes, T0);
  assert.deepEqual(r.replace, [{ taskId: 't1', reason: 'task-ended', delayNs: 5_000_000_000 }]);
  assert.deepEqual(r.shutdown, [{ taskId: 't3', reason: 'duplicate' }]);
});

test('a spec with a bad constraint is refused', () => {
  const bad = { ...service, spec: { ...service.spec, taskTemplate: { ...service.spec.taskTemplate, placement: { ...service.spec.taskTemplate.placement, constraints: ['zone=eu'] } } } };
  assert.throws(() => reconcileGlobal(bad, [], new Map(), T0), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'invalid-constraint');
});
