// The behaviour every ClusterStore must show, run against each implementation: the in-memory one
// (src/cluster/store/memory-cluster-store.test.ts) and the etcd one (test/integration/cluster/).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isBerthError } from '../../src/base/errors.js';
import type { ClusterStore, LeaderFence, StoreEvent } from '../../src/cluster/store/cluster-store.js';

export interface ContractSubject {
  store: ClusterStore;
  /** A fence that holds until `dropFence` (an election key, or the memory store's stand-in). */
  makeFence: () => Promise<LeaderFence>;
  dropFence: (fence: LeaderFence) => Promise<void>;
}

function expectKind(kind: 'conflict' | 'failed-precondition' | 'invalid-argument', reason: string, text?: string) {
  return (err: unknown): boolean => {
    assert.ok(isBerthError(err, kind), `expected ${kind}, got ${String(err)}`);
    assert.equal(err.reason, reason);
    if (text !== undefined) assert.ok(err.message.includes(text), `${err.message} should name ${text}`);
    return true;
  };
}

/** Collects `count` events of a watch (bounded wait), then ends it. */
export async function take(events: AsyncIterable<StoreEvent>, count: number, boundMs = 20_000): Promise<StoreEvent[]> {
  const seen: StoreEvent[] = [];
  const iterator = events[Symbol.asyncIterator]();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new Error(`watch: only ${seen.length} of ${count} events after ${boundMs} ms`)); }, boundMs);
  });
  try {
    while (seen.length < count) {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next.done === true) break;
      seen.push(next.value);
    }
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
  return seen;
}

export function clusterStoreContract(name: string, subject: () => ContractSubject): void {
  describe(`ClusterStore contract: ${name}`, () => {
    it('creates, reads, lists, updates and deletes with versions', async () => {
      const { store } = subject();
      const a = await store.create('service', 'web', { replicas: 1 });
      assert.ok(a.version > 0);
      assert.deepEqual(await store.get('service', 'web'), a);
      const b = await store.update('service', 'web', { replicas: 2 }, a.version);
      assert.ok(b.version > a.version);
      await store.create('service', 'db', { replicas: 1 });
      await store.create('node', 'n1', { cpus: 2 });
      const listing = await store.list('service');
      assert.deepEqual(listing.items.map((o) => o.id).sort(), ['db', 'web']);
      assert.ok(listing.revision >= b.version);
      await store.delete('service', 'web', b.version);
      assert.equal(await store.get('service', 'web'), undefined);
    });

    it('refuses stale writes with conflict naming the object, and writes nothing', async () => {
      const { store } = subject();
      const a = await store.create('task', 't1', { slot: 1 });
      await assert.rejects(store.create('task', 't1', { slot: 9 }), expectKind('conflict', 'stale-version', 'task/t1'));
      const b = await store.update('task', 't1', { slot: 2 }, a.version);
      await assert.rejects(store.update('task', 't1', { slot: 3 }, a.version), expectKind('conflict', 'stale-version', 'task/t1'));
      await assert.rejects(store.delete('task', 't1', a.version), expectKind('conflict', 'stale-version', 'task/t1'));
      await assert.rejects(store.update('task', 'missing', { slot: 1 }, b.version), expectKind('conflict', 'stale-version', 'task/missing'));
      assert.deepEqual((await store.get('task', 't1'))?.value, { slot: 2 });
    });

    it('lets exactly one of two racing writers win', async () => {
      const { store } = subject();
      const base = await store.create('service', 'race', { by: 'nobody' });
      const results = await Promise.allSettled([
        store.update('service', 'race', { by: 'a' }, base.version),
        store.update('service', 'race', { by: 'b' }, base.version),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1);
      assert.equal(lost.length, 1);
      assert.ok(isBerthError(lost[0]?.reason, 'conflict'));
      assert.deepEqual((await store.get('service', 'race'))?.value, won[0]?.value.value);
    });

    it('commits several objects all or nothing', async () => {
      const { store } = subject();
      const svc = await store.create('service', 'multi', { replicas: 2 });
      const { revision } = await store.commit([
        { op: 'check', kind: 'service', id: 'multi', expect: svc.version },
        { op: 'put', kind: 'task', id: 'multi.1', value: { n: 1 }, expect: 'absent' },
        { op: 'put', kind: 'task', id: 'multi.2', value: { n: 2 }, expect: 'absent' },
      ]);
      assert.equal((await store.get('task', 'multi.1'))?.version, revision);
      assert.equal((await store.get('task', 'multi.2'))?.version, revision);
      await assert.rejects(store.commit([
        { op: 'put', kind: 'task', id: 'multi.3', value: { n: 3 }, expect: 'absent' },
        { op: 'put', kind: 'task', id: 'multi.1', value: { n: 1 }, expect: 'absent' },
      ]), expectKind('conflict', 'stale-version', 'task/multi.1'));
      assert.equal(await store.get('task', 'multi.3'), undefined);
      await assert.rejects(store.commit([
        { op: 'put', kind: 'task', id: 'multi.1', value: {}, expect: revision },
        { op: 'put', kind: 'task', id: 'multi.1', value: {}, expect: revision },
      ]), expectKind('invalid-argument', 'duplicate-object'));
      await assert.rejects(store.create('task', '../etc', {}), expectKind('invalid-argument', 'invalid-object-id'));
    });

    it('watches every change from a revision, in order, filtered by kind', async () => {
      const { store } = subject();
      const first = await store.create('node', 'w1', { n: 1 });
      const listing = await store.list('node');
      const u = await store.update('node', 'w1', { n: 2 }, first.version);
      await store.create('service', 'other-kind', {});
      await store.create('node', 'w2', { n: 1 });
      const controller = new AbortController();
      const watch = store.watch({ kind: 'node', fromRevision: listing.revision + 1, signal: controller.signal });
      const pending = take(watch, 4);
      await store.delete('node', 'w1', u.version);
      await store.create('node', 'w3', { n: 3 });
      const events = await pending;
      controller.abort();
      assert.deepEqual(events.map((e) => `${e.type} ${e.id}`), ['put w1', 'put w2', 'delete w1', 'put w3']);
      assert.deepEqual(events[0]?.value, { n: 2 });
      const revisions = events.map((e) => e.revision);
      assert.deepEqual(revisions, [...revisions].sort((a, b) => a - b));
    });

    it('fails a watch below the compacted revision with revision-compacted', async () => {
      const { store } = subject();
      const a = await store.create('plan', 'p1', { n: 1 });
      const b = await store.update('plan', 'p1', { n: 2 }, a.version);
      await store.compact(b.version);
      const iterate = async (): Promise<void> => {
        for await (const _ of store.watch({ kind: 'plan', fromRevision: a.version })) break;
      };
      await assert.rejects(iterate(), expectKind('failed-precondition', 'revision-compacted'));
      const events = await take(store.watch({ kind: 'plan', fromRevision: b.version }), 1);
      assert.deepEqual(events[0]?.value, { n: 2 });
    });

    it('fails a fenced write once the fence is gone, writing nothing', async () => {
      const { store, makeFence, dropFence } = subject();
      const fence = await makeFence();
      const a = await store.create('cluster', 'state', { leader: 1 }, { fence });
      await dropFence(fence);
      await assert.rejects(store.update('cluster', 'state', { leader: 2 }, a.version, { fence }), expectKind('failed-precondition', 'leadership-lost'));
      assert.deepEqual((await store.get('cluster', 'state'))?.value, { leader: 1 });
    });
  });
}
