/**
 * Node heartbeats as leases in the store: a node is alive while its heartbeat lease lives. The
 * manager that receives a node's heartbeat calls `beat`; the lease expires `ttlSeconds` after the
 * last beat unless renewed, and the store (etcd) deletes the node's heartbeat key then. The leader's
 * node controller reads `alive()` and watches `changes()`: a node is declared down only once its
 * lease has expired, never by a manager's own clock.
 */
export interface HeartbeatChange {
  readonly nodeId: string;
  /** true: a lease appeared (the node beat after having none); false: the lease expired or was revoked. */
  readonly alive: boolean;
}

export interface Heartbeats {
  /** Renews (or starts) `nodeId`'s lease for `ttlSeconds`. unavailable (`store-unavailable`) when the store cannot be reached. */
  beat(nodeId: string, ttlSeconds: number): Promise<void>;
  /** Ends `nodeId`'s lease now (a node that leaves). Idempotent. */
  revoke(nodeId: string): Promise<void>;
  /** The nodes whose lease lives now. */
  alive(): Promise<ReadonlySet<string>>;
  /** Every change from now on, until the signal aborts. */
  changes(signal: AbortSignal): AsyncIterable<HeartbeatChange>;
  close(): Promise<void>;
}
