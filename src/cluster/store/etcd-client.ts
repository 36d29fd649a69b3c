/**
 * The etcd client berth uses: the etcd3 client with the library's retry and circuit-breaker
 * defaults, but a watch reconnect backoff bounded at `maxWatchBackoffMs` (default 2 s; the
 * library's grows to 30 s), so watches resume promptly once etcd is back.
 */
import { Etcd3 } from 'etcd3';

export interface EtcdClientOptions {
  readonly dialTimeoutMs?: number;
  readonly maxWatchBackoffMs?: number;
}

interface Backoff {
  readonly duration: number;
  next(): Backoff;
}

function doubling(duration: number, max: number): Backoff {
  return { duration, next: () => doubling(Math.min(duration * 2, max), max) };
}

/** A client of etcd at these client URLs (`http://host:port`); close it with `close()`. */
export function connectEtcd(endpoints: readonly string[], options: EtcdClientOptions = {}): Etcd3 {
  const max = options.maxWatchBackoffMs ?? 2_000;
  return new Etcd3({
    hosts: [...endpoints],
    dialTimeout: options.dialTimeoutMs ?? 5_000,
    faultHandling: { watchBackoff: doubling(100, max) },
  });
}
