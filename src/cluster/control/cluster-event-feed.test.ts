import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNode, makeService } from '../../../test/support/cluster-fixtures.js';
import { settle } from '../../../test/support/manual-time.js';
import { systemTimers } from '../../base/clock.js';
import { encodeObject } from '../objects/stored-object.js';
import { MemoryClusterStore } from '../store/memory-cluster-store.js';
import { runClusterEventFeed } from './cluster-event-feed.js';
import type { ClusterEvent } from './cluster-events.js';

async function until(what: string, predicate: () => boolean): Promise<void> {
  for (let turns = 0; !predicate(); turns++) {
    assert.ok(turns < 10_000, `still waiting for: ${what}`);
    await settle();
  }
}

test('service and node writes become Docker\'s swarm events, with what changed; other kinds are not reported', async () => {
  const store = new MemoryClusterStore();
  const existing = makeService('s1', { name: 'web' });
  await store.create('service', existing.id, encodeObject(existing));
  const node = makeNode('n1', { hostname: 'box' });
  await store.create('node', node.id, encodeObject(node));
  const events: ClusterEvent[] = [];
  const stop = new AbortController();
  const feed = runClusterEventFeed({ store, timers: systemTimers, signal: stop.signal, emit: (event) => { events.push(event); }, log: () => undefined });
  try {
    await settle(5);
    assert.deepEqual(events, [], 'what exists at the start is not reported');
    const updated = { ...existing, spec: { ...existing.spec, mode: { kind: 'replicated' as const, replicas: 3 }, taskTemplate: { ...existing.spec.taskTemplate, containerSpec: { ...existing.spec.taskTemplate.containerSpec, image: 'busybox:2' } } }, updateStatus: { state: 'updating' as const, message: '' } };
    const stored = await store.get('service', 's1');
    await store.update('service', 's1', encodeObject(updated), stored?.version ?? 0);
    const drained = { ...node, spec: { ...node.spec, availability: 'drain' as const } };
    await store.update('node', 'n1', encodeObject(drained), (await store.get('node', 'n1'))?.version ?? 0);
    await store.create('task', 't1', { anything: true });
    const other = makeService('s2', { name: 'api' });
    await store.create('service', 's2', encodeObject(other));
    await store.delete('service', 's1', (await store.get('service', 's1'))?.version ?? 0);
    await until('4 events', () => events.length >= 4);
    assert.deepEqual(events, [
      { type: 'service', action: 'update', id: 's1', attributes: { name: 'web', 'image.old': 'busybox', 'image.new': 'busybox:2', 'replicas.old': '1', 'replicas.new': '3', 'updatestate.new': 'updating' } },
      { type: 'node', action: 'update', id: 'n1', attributes: { name: 'box', 'availability.old': 'active', 'availability.new': 'drain' } },
      { type: 'service', action: 'create', id: 's2', attributes: { name: 'api' } },
      { type: 'service', action: 'remove', id: 's1', attributes: { name: 'web' } },
    ]);
  } finally {
    stop.abort();
    await feed;
  }
});
