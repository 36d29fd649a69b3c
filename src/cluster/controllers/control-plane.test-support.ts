// Test helpers for the controllers: a manual clock and timers, a store that lets a test write
// in the middle of a commit, and a running control plane on the memory store and heartbeats
// with helpers to change the world and wait until the loop has caught up.
import assert from 'node:assert/strict';
import { nodeSchema, type Node } from '../objects/node.js';
import { serviceSchema, type Service } from '../objects/service.js';
import { taskSchema, type Task, type TaskState } from '../objects/task.js';
import { seededRandom } from '../scheduler/random.js';
import type { ClusterObjectKind, ClusterStore, CommitOptions, CommitResult, JsonValue, StoredObject, StoreEvent, StoreListing, StoreWrite, WatchOptions } from '../store/cluster-store.js';
import { MemoryClusterStore } from '../store/memory-cluster-store.js';
import { MemoryHeartbeats } from '../store/memory-heartbeats.js';
import { runControlPlane } from './control-plane.js';
import { decodeObject, encodeObject } from '../objects/stored-object.js';
import { wantedRunning } from './task-lifecycle.js';
import { ManualTime, settle } from '../../../test/support/manual-time.js';

export { ManualTime };

/** A ClusterStore over another that runs `beforeCommit` (once set) before each commit: another writer, mid-pass. */
export class InterposedStore implements ClusterStore {
  beforeCommit: ((writes: readonly StoreWrite[]) => Promise<void>) | undefined;
  constructor(readonly inner: ClusterStore) {}
  get(kind: ClusterObjectKind, id: string): Promise<StoredObject | undefined> { return this.inner.get(kind, id); }
  list(kind: ClusterObjectKind): Promise<StoreListing> { return this.inner.list(kind); }
  create(kind: ClusterObjectKind, id: string, value: JsonValue, options?: CommitOptions): Promise<StoredObject> { return this.inner.create(kind, id, value, options); }
  update(kind: ClusterObjectKind, id: string, value: JsonValue, version: number, options?: CommitOptions): Promise<StoredObject> { return this.inner.update(kind, id, value, version, options); }
  delete(kind: ClusterObjectKind, id: string, version: number, options?: CommitOptions): Promise<void> { return this.inner.delete(kind, id, version, options); }
  async commit(writes: readonly StoreWrite[], options?: CommitOptions): Promise<CommitResult> {
    await this.beforeCommit?.(writes);
    return this.inner.commit(writes, options);
  }
  watch(options: WatchOptions): AsyncIterable<StoreEvent> { return this.inner.watch(options); }
  compact(revision: number): Promise<void> { return this.inner.compact(revision); }
  close(): Promise<void> { return this.inner.close(); }
}

export interface PlaneSetup {
  readonly nodes?: readonly Node[];
  readonly services?: readonly Service[];
  /** Nodes with a live lease at the start (default: every node). */
  readonly alive?: readonly string[];
  /** Hears each assignment that landed (ControlPlaneOptions.onTaskScheduled). */
  readonly onTaskScheduled?: (seconds: number) => void;
}

/** A control plane running on the memory store, and the test's hands on the world around it. */
export class PlaneHarness {
  readonly memory = new MemoryClusterStore();
  readonly store = new InterposedStore(this.memory);
  readonly heartbeats = new MemoryHeartbeats();
  readonly time = new ManualTime();
  readonly controller = new AbortController();
  readonly fence = this.memory.grantFence('election-1');
  readonly logs: string[] = [];
  #idleRevision = -1;
  #ids = 0;
  done: Promise<void> = Promise.resolve();

  static async start(setup: PlaneSetup = {}): Promise<PlaneHarness> {
    const plane = new PlaneHarness();
    for (const node of setup.nodes ?? []) await plane.put('node', node);
    for (const service of setup.services ?? []) await plane.put('service', service);
    for (const id of setup.alive ?? (setup.nodes ?? []).map((node) => node.id)) await plane.heartbeats.beat(id, 5);
    plane.done = runControlPlane({
      store: plane.store, heartbeats: plane.heartbeats, fence: plane.fence, signal: plane.controller.signal,
      clock: plane.time, timers: plane.time, random: seededRandom(7),
      newId: () => `task${String(++plane.#ids).padStart(4, '0')}`,
      log: (message) => { plane.logs.push(message); },
      onIdle: (revision) => { plane.#idleRevision = revision; },
      ...(setup.onTaskScheduled === undefined ? {} : { onTaskScheduled: setup.onTaskScheduled }),
    });
    await plane.settle();
    return plane;
  }

  /** Waits until the loop has caught up with the store and stays so for a few turns of the event loop. */
  async settle(): Promise<void> {
    for (let turns = 0, quiet = 0; quiet < 3; turns++) {
      assert.ok(turns < 10_000, 'the control plane did not settle');
      await settle();
      const revision = (await this.memory.list('cluster')).revision;
      quiet = this.#idleRevision === revision ? quiet + 1 : 0;
    }
  }

  /** Waits (by turns of the event loop, not time) until `predicate` holds. */
  async until(what: string, predicate: () => Promise<boolean>): Promise<void> {
    for (let turns = 0; !(await predicate()); turns++) {
      assert.ok(turns < 10_000, `still waiting for: ${what}`);
      await settle();
    }
  }

  /** Creates or replaces an object (its stored value without version). */
  async put(kind: 'node' | 'service' | 'task', object: Node | Service | Task): Promise<void> {
    const current = await this.memory.get(kind, object.id);
    if (current === undefined) await this.memory.create(kind, object.id, encodeObject(object));
    else await this.memory.update(kind, object.id, encodeObject(object), current.version);
  }

  async nodes(): Promise<Node[]> {
    return decodeAll(await this.memory.list('node'), (item) => decodeObject(nodeSchema, item, fail));
  }

  async node(id: string): Promise<Node> {
    const node = (await this.nodes()).find((n) => n.id === id);
    assert.ok(node, `node ${id}`);
    return node;
  }

  async service(id: string): Promise<Service> {
    const stored = await this.memory.get('service', id);
    const service = stored === undefined ? undefined : decodeObject(serviceSchema, stored, fail);
    assert.ok(service, `service ${id}`);
    return service;
  }

  async tasks(serviceId?: string): Promise<Task[]> {
    const all = decodeAll(await this.memory.list('task'), (item) => decodeObject(taskSchema, item, fail));
    return all.filter((task) => serviceId === undefined || task.serviceId === serviceId);
  }

  /** The tasks the control plane wants running. */
  async current(serviceId?: string): Promise<Task[]> {
    return (await this.tasks(serviceId)).filter(wantedRunning);
  }

  /** A node's agent reports a task's state now. */
  async report(taskId: string, state: TaskState, message: string = state): Promise<void> {
    const task = (await this.tasks()).find((t) => t.id === taskId);
    assert.ok(task, `task ${taskId}`);
    await this.put('task', { ...task, status: { ...task.status, state, message, timestamp: this.time.now().toISOString() } });
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

function decodeAll<T>(listing: StoreListing, decode: (item: StoredObject) => T | undefined): T[] {
  return listing.items.map(decode).filter((item): item is T => item !== undefined);
}

function fail(message: string): void {
  assert.fail(message);
}

/** Tasks per node id. */
export function perNode(tasks: readonly Task[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const task of tasks) counts.set(task.nodeId ?? '', (counts.get(task.nodeId ?? '') ?? 0) + 1);
  return counts;
}
