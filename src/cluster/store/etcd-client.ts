/**
 * The etcd client berth uses: the etcd3 client with the library's retry and circuit-breaker
 * defaults, but a watch reconnect backoff bounded at `maxWatchBackoffMs` (default 2 s; the
 * library's grows to 30 s), so watches resume promptly once etcd is back. With `tls` it trusts
 * only the cluster CA and presents the node's certificate (etcd's client certificate auth).
 * With `timing` each call that is not a stream is timed (etcd-call-timing.ts).
 */
import { Etcd3, type IOptions } from 'etcd3';
import type { NodeTlsMaterial } from '../trust/tls-options.js';
import { etcdOperation, timedCall, type EtcdCallTiming } from './etcd-call-timing.js';

export interface EtcdClientOptions {
  readonly dialTimeoutMs?: number;
  readonly maxWatchBackoffMs?: number;
  /** Mutual TLS: endpoints are then `https://host:port`. etcd checks the server's name against its SANs. */
  readonly tls?: NodeTlsMaterial;
  /** A deadline for each call that is not a stream (watches are not bounded); default none. */
  readonly callTimeoutMs?: number;
  /** Times every call that is not a stream (this node's etcd round trips, for its metrics). */
  readonly timing?: EtcdCallTiming;
}

interface Backoff {
  readonly duration: number;
  next(): Backoff;
}

function doubling(duration: number, max: number): Backoff {
  return { duration, next: () => doubling(Math.min(duration * 2, max), max) };
}

/** A client of etcd at these client URLs (`http://host:port`, or `https://` with `tls`); close it with `close()`. */
export function connectEtcd(endpoints: readonly string[], options: EtcdClientOptions = {}): Etcd3 {
  const max = options.maxWatchBackoffMs ?? 2_000;
  const config: IOptions = {
    hosts: [...endpoints],
    dialTimeout: options.dialTimeoutMs ?? 5_000,
    faultHandling: { watchBackoff: doubling(100, max) },
  };
  if (options.tls !== undefined) {
    config.credentials = {
      rootCertificate: Buffer.from(options.tls.caCertPem),
      privateKey: Buffer.from(options.tls.keyPem),
      certChain: Buffer.from(options.tls.certPem),
    };
  }
  const timeout = options.callTimeoutMs;
  if (timeout !== undefined) config.defaultCallOptions = (context) => (context.isStream ? {} : { deadline: Date.now() + timeout });
  return options.timing === undefined ? new Etcd3(config) : new TimedEtcd3(config, options.timing);
}

/**
 * The etcd3 client with its calls timed. Every call of its KV, Lease, Cluster, Maintenance and
 * Auth clients, and of its namespaces, goes through its connection pool's `exec` (streams go
 * through `withConnection`): that one method is wrapped.
 */
class TimedEtcd3 extends Etcd3 {
  constructor(config: IOptions, timing: EtcdCallTiming) {
    super(config);
    const pool = this.pool;
    const exec = pool.exec.bind(pool);
    pool.exec = <T>(...args: Parameters<typeof exec>): Promise<T> => {
      const [service, method, payload] = args;
      return timedCall(timing, etcdOperation(service, method, payload), () => exec<T>(...args));
    };
  }
}
