/**
 * The shorthands of ClusterStore (create, update, delete of one object) as single-write commits,
 * so that every store implements only `commit` and the reads, and they mean the same everywhere.
 */
import type {
  ClusterObjectKind, ClusterStore, CommitOptions, CommitResult, JsonValue, StoreEvent, StoredObject, StoreListing, StoreWrite, WatchOptions,
} from './cluster-store.js';

export abstract class CommittingStore implements ClusterStore {
  abstract get(kind: ClusterObjectKind, id: string): Promise<StoredObject | undefined>;
  abstract list(kind: ClusterObjectKind): Promise<StoreListing>;
  abstract commit(writes: readonly StoreWrite[], options?: CommitOptions): Promise<CommitResult>;
  abstract watch(options: WatchOptions): AsyncIterable<StoreEvent>;
  abstract compact(revision: number): Promise<void>;
  abstract close(): Promise<void>;

  async create(kind: ClusterObjectKind, id: string, value: JsonValue, options?: CommitOptions): Promise<StoredObject> {
    const { revision } = await this.commit([{ op: 'put', kind, id, value, expect: 'absent' }], options);
    return { kind, id, value, version: revision };
  }

  async update(kind: ClusterObjectKind, id: string, value: JsonValue, version: number, options?: CommitOptions): Promise<StoredObject> {
    const { revision } = await this.commit([{ op: 'put', kind, id, value, expect: version }], options);
    return { kind, id, value, version: revision };
  }

  async delete(kind: ClusterObjectKind, id: string, version: number, options?: CommitOptions): Promise<void> {
    await this.commit([{ op: 'delete', kind, id, expect: version }], options);
  }
}
