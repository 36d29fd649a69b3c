/**
 * How long this node's etcd calls take, by operation. Every request the etcd3 client sends that
 * is not a stream (reads, writes, transactions, leases, membership, compaction) goes through one
 * method of its connection pool; `connectEtcd` (etcd-client.ts) wraps that method with `timedCall`
 * when given an `EtcdCallTiming`. A call is timed as its caller sees it: from the request to the
 * answer or the failure, the client's retries and its failover to another endpoint included.
 * Watches and lease keepalives are streams and are not timed.
 *
 * Operations are few and fixed, so that series stay few: a range of one key is `get`, a range
 * over a prefix `range`; every lease call is `lease`, every membership call `member`.
 */

export const ETCD_OPERATIONS = ['get', 'range', 'put', 'delete', 'txn', 'compact', 'lease', 'member', 'maintenance', 'auth', 'other'] as const;
export type EtcdOperation = (typeof ETCD_OPERATIONS)[number];

/** Where the time of each call goes. */
export interface EtcdCallTiming {
  /** Milliseconds of a monotonic clock (`performance.now` in berthd; tests pass their own). */
  readonly now: () => number;
  readonly observe: (operation: EtcdOperation, seconds: number) => void;
}

/** The operation of a call of etcd's gRPC service `service` (`KV`, `Lease`…) and its method as etcd3 names it (`range`, `leaseGrant`…). */
export function etcdOperation(service: string, method: string, payload: unknown): EtcdOperation {
  switch (service) {
    case 'KV':
      switch (method) {
        case 'range': return hasRangeEnd(payload) ? 'range' : 'get';
        case 'put': return 'put';
        case 'deleteRange': return 'delete';
        case 'txn': return 'txn';
        case 'compact': return 'compact';
        default: return 'other';
      }
    case 'Lease': return 'lease';
    case 'Cluster': return 'member';
    case 'Maintenance': return 'maintenance';
    case 'Auth': return 'auth';
    default: return 'other';
  }
}

/** Runs `call` and reports its time as `operation`, whether it answers or fails. */
export async function timedCall<T>(timing: EtcdCallTiming, operation: EtcdOperation, call: () => Promise<T>): Promise<T> {
  const start = timing.now();
  try {
    return await call();
  } finally {
    timing.observe(operation, Math.max(0, timing.now() - start) / 1000);
  }
}

/** Whether a range request covers more than its key (etcd's `range_end`, a Buffer or a string, not empty). */
function hasRangeEnd(payload: unknown): boolean {
  if (typeof payload !== 'object' || payload === null || !('range_end' in payload)) return false;
  const end = payload.range_end;
  return (typeof end === 'string' || Buffer.isBuffer(end)) && end.length > 0;
}
