/**
 * The etcd client berth uses: the etcd3 client with the library's retry and circuit-breaker
 * defaults, but a watch reconnect backoff bounded at `maxWatchBackoffMs` (default 2 s; the
 * library's grows to 30 s), so watches resume promptly once etcd is back. With `tls` it trusts
 * only the cluster CA and presents the node's certificate (etcd's client certificate auth).
 */
import { Etcd3, type IOptions } from 'etcd3';
import type { NodeTlsMaterial } from '../trust/tls-options.js';

export interface EtcdClientOptions {
  readonly dialTimeoutMs?: number;
  readonly maxWatchBackoffMs?: number;
  /** Mutual TLS: endpoints are then `https://host:port`. etcd checks the server's name against its SANs. */
  readonly tls?: NodeTlsMaterial;
  /** A deadline for each call that is not a stream (watches are not bounded); default none. */
  readonly callTimeoutMs?: number;
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
  return new Etcd3(config);
}
