/**
 * ClusterStore in memory, with the etcd store's semantics (one revision counter, versions as mod
 * revisions, compare-then-write transactions, ordered watches from a revision, compaction), for
 * the unit tests of controllers and the scheduler's applier. Fences are keys this store grants
 * (`grantFence`) and revokes (`revokeFence`), standing in for election keys.
 */
import { errors } from '../../base/errors.js';
import type {
  ClusterObjectKind, CommitOptions, CommitResult, JsonValue, StoreEvent, StoredObject, StoreListing, StoreWrite, WatchOptions,
} from './cluster-store.js';
import { CommittingStore } from './committing-store.js';
import { EventQueue } from './event-queue.js';
import { encodeValue, leadershipLost, meets, revisionCompacted, staleVersion, validateId, validateWrites } from './store-keys.js';

/** Runs synchronous store logic as a promise: a thrown error becomes a rejection, as over etcd. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}

interface Entry {
  text: string;
  version: number;
}

export class MemoryClusterStore extends CommittingStore {
  readonly #objects = new Map<string, Entry>();
  readonly #fences = new Map<string, number>();
  readonly #history: StoreEvent[] = [];
  readonly #watchers = new Set<{ kind: ClusterObjectKind | undefined; queue: EventQueue<StoreEvent> }>();
  #revision = 1;
  #compacted = 0;
  #closed = false;

  /** Makes a fence key (as an election would on winning); a fenced commit holds while it exists. */
  grantFence(key: string): { key: string; createRevision: number } {
    this.#revision += 1;
    this.#fences.set(key, this.#revision);
    return { key, createRevision: this.#revision };
  }

  /** Removes a fence key (leadership ended): fenced commits with it now fail. */
  revokeFence(key: string): void {
    if (this.#fences.delete(key)) this.#revision += 1;
  }

  get(kind: ClusterObjectKind, id: string): Promise<StoredObject | undefined> {
    return settle(() => {
      validateId(id);
      this.#open();
      const entry = this.#objects.get(`${kind}/${id}`);
      return entry === undefined ? undefined : { kind, id, value: JSON.parse(entry.text) as JsonValue, version: entry.version };
    });
  }

  list(kind: ClusterObjectKind): Promise<StoreListing> {
    return settle(() => this.#list(kind));
  }

  #list(kind: ClusterObjectKind): StoreListing {
    this.#open();
    const items: StoredObject[] = [];
    for (const [name, entry] of [...this.#objects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      if (!name.startsWith(`${kind}/`)) continue;
      items.push({ kind, id: name.slice(kind.length + 1), value: JSON.parse(entry.text) as JsonValue, version: entry.version });
    }
    return { items, revision: this.#revision };
  }

  commit(writes: readonly StoreWrite[], options: CommitOptions = {}): Promise<CommitResult> {
    return settle(() => this.#commit(writes, options));
  }

  #commit(writes: readonly StoreWrite[], options: CommitOptions): CommitResult {
    this.#open();
    validateWrites(writes);
    const texts = writes.map((write) => (write.op === 'put' ? encodeValue(write.kind, write.id, write.value) : ''));
    const fence = options.fence;
    if (fence !== undefined && this.#fences.get(fence.key) !== fence.createRevision) throw leadershipLost(fence.key);
    for (const write of writes) {
      const actual = this.#objects.get(`${write.kind}/${write.id}`)?.version;
      if (!meets(write.expect, actual)) throw staleVersion(write.kind, write.id, write.expect, actual);
    }
    if (writes.every((write) => write.op === 'check')) return { revision: this.#revision };
    this.#revision += 1;
    const revision = this.#revision;
    writes.forEach((write, at) => {
      const name = `${write.kind}/${write.id}`;
      if (write.op === 'check') return;
      if (write.op === 'put') {
        const text = texts[at] ?? 'null';
        this.#objects.set(name, { text, version: revision });
        this.#publish({ type: 'put', kind: write.kind, id: write.id, value: JSON.parse(text) as JsonValue, revision });
      } else {
        this.#objects.delete(name);
        this.#publish({ type: 'delete', kind: write.kind, id: write.id, revision });
      }
    });
    return { revision };
  }

  watch(options: WatchOptions): AsyncIterable<StoreEvent> {
    return {
      [Symbol.asyncIterator]: () => {
        const watcher = { kind: options.kind, queue: new EventQueue<StoreEvent>(() => { this.#watchers.delete(watcher); }) };
        if (this.#closed) {
          watcher.queue.fail(errors.failedPrecondition('store-closed', 'the cluster store is closed'));
          return watcher.queue;
        }
        if (options.fromRevision < this.#compacted) {
          watcher.queue.fail(revisionCompacted(options.fromRevision, this.#compacted));
          return watcher.queue;
        }
        for (const event of this.#history) {
          if (event.revision >= options.fromRevision && (options.kind === undefined || event.kind === options.kind)) watcher.queue.push(event);
        }
        this.#watchers.add(watcher);
        const stop = (): void => { this.#watchers.delete(watcher); watcher.queue.end(); };
        if (options.signal?.aborted === true) stop();
        options.signal?.addEventListener('abort', stop, { once: true });
        return watcher.queue;
      },
    };
  }

  compact(revision: number): Promise<void> {
    return settle(() => {
      this.#open();
      if (revision > this.#revision) throw errors.invalidArgument('future-revision', `cannot compact to ${revision}: the store is at ${this.#revision}`);
      this.#compacted = Math.max(this.#compacted, revision);
      while (this.#history.length > 0 && (this.#history[0]?.revision ?? 0) < revision) this.#history.shift();
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const watcher of this.#watchers) watcher.queue.end();
    this.#watchers.clear();
    return Promise.resolve();
  }

  #publish(event: StoreEvent): void {
    this.#history.push(event);
    for (const watcher of this.#watchers) {
      if (watcher.kind === undefined || watcher.kind === event.kind) watcher.queue.push(event);
    }
  }

  #open(): void {
    if (this.#closed) throw errors.failedPrecondition('store-closed', 'the cluster store is closed');
  }
}
