/**
 * ClusterStore on etcd (v3 API through the etcd3 client). An object is the key
 * `<prefix><kind>/<id>` holding its JSON; its version is the key's mod revision. Expectations
 * become transaction compares (`absent`: create revision 0; a version: mod revision equal), a
 * fence compares the election key's create revision, and the failure branch reads every key
 * involved so the conflict names the object that changed.
 */
import { GRPCOutOfRangeError, type Etcd3, type IKeyValue, type IOperation } from 'etcd3';
import { BerthError, errors, messageOf } from '../../base/errors.js';
import type {
  ClusterObjectKind, CommitOptions, CommitResult, StoreEvent, StoredObject, StoreListing, StoreWrite, WatchOptions,
} from './cluster-store.js';
import { CommittingStore } from './committing-store.js';
import { connectEtcd } from './etcd-client.js';
import { watchEtcd } from './etcd-watch.js';
import {
  DEFAULT_STORE_PREFIX, decodeValue, encodeValue, kindPrefix, leadershipLost, meets, objectKey, parseKey, staleVersion, validateWrites,
} from './store-keys.js';

export interface EtcdClusterStoreOptions {
  /** Key prefix of every object (default `/berth/`); tests use their own to share one etcd. */
  prefix?: string;
}

/** Wraps a failure of the etcd client: unavailable (`store-unavailable`) unless already classified. */
export function storeError(err: unknown, what: string): BerthError {
  if (err instanceof BerthError) return err;
  if (err instanceof GRPCOutOfRangeError) return errors.failedPrecondition('revision-compacted', `${what}: ${err.message}`, { cause: err });
  return errors.unavailable('store-unavailable', `${what}: etcd: ${messageOf(err)}`, { cause: err });
}

export class EtcdClusterStore extends CommittingStore {
  readonly #prefix: string;
  #closed = false;

  /** A store over a client; `owned` clients are closed by `close`. */
  constructor(private readonly client: Etcd3, options: EtcdClusterStoreOptions = {}, private readonly owned = false) {
    super();
    this.#prefix = options.prefix ?? DEFAULT_STORE_PREFIX;
  }

  /** Connects to etcd at these client URLs (`http://host:port`). */
  static connect(endpoints: readonly string[], options: EtcdClusterStoreOptions = {}): EtcdClusterStore {
    return new EtcdClusterStore(connectEtcd(endpoints), options, true);
  }

  async get(kind: ClusterObjectKind, id: string): Promise<StoredObject | undefined> {
    const key = objectKey(this.#prefix, kind, id);
    const response = await this.client.get(key).exec().catch((err: unknown) => { throw storeError(err, `get ${kind}/${id}`); });
    const kv = response.kvs[0];
    return kv === undefined ? undefined : this.#object(kv);
  }

  async list(kind: ClusterObjectKind): Promise<StoreListing> {
    const response = await this.client.getAll().prefix(kindPrefix(this.#prefix, kind)).exec()
      .catch((err: unknown) => { throw storeError(err, `list ${kind}`); });
    const items = response.kvs.flatMap((kv) => {
      const object = this.#object(kv);
      return object === undefined ? [] : [object];
    });
    return { items, revision: Number(response.header.revision) };
  }

  async commit(writes: readonly StoreWrite[], options: CommitOptions = {}): Promise<CommitResult> {
    this.#open();
    validateWrites(writes);
    const keys = writes.map((write) => objectKey(this.#prefix, write.kind, write.id));
    const ops: IOperation[] = [];
    writes.forEach((write, at) => {
      const key = keys[at] ?? '';
      if (write.op === 'put') ops.push(this.client.put(key).value(encodeValue(write.kind, write.id, write.value)));
      else if (write.op === 'delete') ops.push(this.client.delete().key(key));
    });
    const compares = writes.map((write, at) => ({ key: keys[at] ?? '', expect: write.expect }));
    const fence = options.fence;
    const [first, ...rest] = compares;
    if (first === undefined) throw errors.internal('empty-transaction', 'no compares');
    const txn = first.expect === 'absent' ? this.client.if(first.key, 'Create', '==', 0) : this.client.if(first.key, 'Mod', '==', first.expect);
    for (const { key, expect } of rest) {
      if (expect === 'absent') txn.and(key, 'Create', '==', 0);
      else txn.and(key, 'Mod', '==', expect);
    }
    if (fence !== undefined) txn.and(fence.key, 'Create', '==', fence.createRevision);
    txn.then(...ops).else(...keys.map((key) => this.client.get(key)), ...(fence === undefined ? [] : [this.client.get(fence.key)]));
    const response = await txn.commit().catch((err: unknown) => { throw storeError(err, 'commit'); });
    if (response.succeeded) return { revision: Number(response.header.revision) };
    const found = response.responses.map((r) => r.response_range.kvs[0]);
    if (fence !== undefined && Number(found[writes.length]?.create_revision ?? 0) !== fence.createRevision) throw leadershipLost(fence.key);
    for (const [at, write] of writes.entries()) {
      const kv = found[at];
      const actual = kv === undefined ? undefined : Number(kv.mod_revision);
      if (!meets(write.expect, actual)) throw staleVersion(write.kind, write.id, write.expect, actual);
    }
    // Every compare held when read back: a concurrent writer came and went in between.
    const head = writes[0];
    throw errors.conflict('stale-version', `${head?.kind ?? ''}/${head?.id ?? ''}: the transaction's objects changed while it ran`);
  }

  watch(options: WatchOptions): AsyncIterable<StoreEvent> {
    this.#open();
    const prefix = options.kind === undefined ? this.#prefix : kindPrefix(this.#prefix, options.kind);
    return watchEtcd(this.client, prefix, options, (kv) => {
      const parsed = parseKey(this.#prefix, kv.key.toString());
      return parsed === undefined ? undefined : { ...parsed, text: kv.value.toString() };
    });
  }

  async compact(revision: number): Promise<void> {
    this.#open();
    await this.client.kv.compact({ revision: String(revision), physical: true }).catch((err: unknown) => {
      // Compacting to a revision already compacted is done already.
      if (err instanceof GRPCOutOfRangeError) return;
      throw storeError(err, `compact to ${revision}`);
    });
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    if (this.owned) this.client.close();
    return Promise.resolve();
  }

  #object(kv: IKeyValue): StoredObject | undefined {
    const parsed = parseKey(this.#prefix, kv.key.toString());
    if (parsed === undefined) return undefined;
    return { ...parsed, value: decodeValue(parsed.kind, parsed.id, kv.value.toString()), version: Number(kv.mod_revision) };
  }

  #open(): void {
    if (this.#closed) throw errors.failedPrecondition('store-closed', 'the cluster store is closed');
  }
}
