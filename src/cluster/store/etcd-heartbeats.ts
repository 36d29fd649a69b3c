/**
 * Heartbeats on etcd leases: a node's heartbeat is the key `/berth-heartbeat/<node id>` bound to a
 * lease of `ttlSeconds` (the key's value says which TTL). A beat renews the key's lease when it has
 * the TTL asked for (a read and a keepalive: no write goes through raft); otherwise — the first
 * beat, a lease that ran out meanwhile, another TTL — it grants a fresh lease and rebinds the key to
 * it. Any manager can take any node's beat: the lease is found from the key. When no beat came for
 * a whole TTL, etcd deletes the key: that delete is the node's lost lease, seen by every watcher at
 * once.
 */
import type { Etcd3 } from 'etcd3';
import { errors } from '../../base/errors.js';
import { storeError } from './etcd-cluster-store.js';
import { watchEtcd } from './etcd-watch.js';
import type { HeartbeatChange, Heartbeats } from './heartbeats.js';

export const DEFAULT_HEARTBEAT_PREFIX = '/berth-heartbeat/';

/** The TTL a heartbeat key's value records, or undefined (a value of an older berth). */
function ttlOf(value: Buffer): number | undefined {
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && 'ttl' in parsed && typeof parsed.ttl === 'number' ? parsed.ttl : undefined;
  } catch {
    // Not JSON (JSON.parse throws nothing else): a TTL unknown, as for an older berth's value;
    // the beat then grants a fresh lease and rewrites the key.
    return undefined;
  }
}

export class EtcdHeartbeats implements Heartbeats {
  readonly #prefix: string;

  constructor(private readonly client: Etcd3, prefix = DEFAULT_HEARTBEAT_PREFIX) {
    this.#prefix = prefix;
  }

  async beat(nodeId: string, ttlSeconds: number): Promise<void> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 2) throw errors.invalidArgument('invalid-lease-ttl', `heartbeat TTL ${ttlSeconds}: use a whole number of seconds, at least 2`);
    const key = this.#key(nodeId);
    try {
      const [current] = (await this.client.get(key).exec()).kvs;
      if (current !== undefined && current.lease !== '0' && ttlOf(current.value) === ttlSeconds && await this.#renew(current.lease)) return;
    } catch (err) {
      throw storeError(err, `heartbeat of node ${nodeId}`);
    }
    const lease = this.client.lease(ttlSeconds, { autoKeepAlive: false });
    try {
      await lease.put(key).value(JSON.stringify({ nodeId, ttl: ttlSeconds })).exec();
    } catch (err) {
      throw storeError(err, `heartbeat of node ${nodeId}`);
    } finally {
      lease.release();
    }
  }

  /** One keepalive of `leaseId`; false when etcd says it ran out (TTL 0). */
  async #renew(leaseId: string): Promise<boolean> {
    const stream = await this.client.leaseClient.leaseKeepAlive();
    try {
      const answer = await new Promise<{ TTL: string }>((resolve, reject) => {
        stream.on('data', resolve);
        stream.on('error', reject);
        stream.on('end', () => { reject(errors.unavailable('keepalive-ended', `the keepalive of lease ${leaseId} ended without an answer`)); });
        stream.write({ ID: leaseId });
      });
      return Number(answer.TTL) > 0;
    } finally {
      stream.end();
    }
  }

  async revoke(nodeId: string): Promise<void> {
    await this.client.delete().key(this.#key(nodeId)).exec().catch((err: unknown) => { throw storeError(err, `end heartbeat of node ${nodeId}`); });
  }

  async alive(): Promise<ReadonlySet<string>> {
    return (await this.#listing()).alive;
  }

  changes(signal: AbortSignal): AsyncIterable<HeartbeatChange> {
    // Read now, not at the first `next()`: the changes are those after this call.
    const listing = this.#listing();
    // Marked handled for the time before the first `next()`, which awaits it and gets its failure
    // (an iterator never iterated would otherwise leave an unhandled rejection).
    listing.catch(() => undefined);
    return { [Symbol.asyncIterator]: () => this.#changes(listing, signal) };
  }

  async *#changes(listing: Promise<{ alive: Set<string>; revision: number }>, signal: AbortSignal): AsyncGenerator<HeartbeatChange> {
    const { alive, revision } = await listing;
    const events = watchEtcd(this.client, this.#prefix, { fromRevision: revision + 1, signal }, (kv) => ({
      kind: 'node', id: kv.key.toString().slice(this.#prefix.length), text: 'null',
    }));
    for await (const event of events) {
      if (event.type === 'put' && !alive.has(event.id)) {
        alive.add(event.id);
        yield { nodeId: event.id, alive: true };
      } else if (event.type === 'delete' && alive.delete(event.id)) {
        yield { nodeId: event.id, alive: false };
      }
    }
  }

  async close(): Promise<void> {
    // The client belongs to the caller.
  }

  #key(nodeId: string): string {
    if (!/^[a-z0-9]{1,64}$/.test(nodeId)) throw errors.invalidArgument('invalid-object-id', `node id ${JSON.stringify(nodeId)}: 1–64 lowercase letters or digits`);
    return `${this.#prefix}${nodeId}`;
  }

  async #listing(): Promise<{ alive: Set<string>; revision: number }> {
    const response = await this.client.getAll().prefix(this.#prefix).exec().catch((err: unknown) => { throw storeError(err, 'list heartbeats'); });
    return {
      alive: new Set(response.kvs.map((kv) => kv.key.toString().slice(this.#prefix.length))),
      revision: Number(response.header.revision),
    };
  }
}
