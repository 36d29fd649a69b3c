/**
 * A manager asking the other managers for the cluster's data keys (the `data-keys` route, served
 * to managers only): how a manager that lacks a key (made by a rotation on another manager, or
 * missing after a promotion) gets it. The keys travel only over the cluster's mutual TLS.
 */
import { errors, messageOf } from '../../base/errors.js';
import { clientTlsOptions, type NodeTlsMaterial } from '../trust/index.js';
import type { DataKey } from '../trust/secret-sealing.js';
import { callClusterPort } from './cluster-port-call.js';
import { CLUSTER_ROUTES } from './protocol.js';
import { dataKeysAnswerSchema, parseWith } from './protocol-schemas.js';

/** Every key the managers at `addrs` hold (union by id); unavailable `managers-unreachable` when none answered. */
export async function fetchDataKeys(tls: NodeTlsMaterial, addrs: readonly string[]): Promise<DataKey[]> {
  const found = new Map<string, DataKey>();
  const failures: string[] = [];
  let answered = 0;
  await Promise.all(addrs.map(async (addr) => {
    try {
      const answer = await callClusterPort(addr, { method: 'GET', path: CLUSTER_ROUTES.dataKeys, tls: clientTlsOptions(tls) });
      for (const key of parseWith(dataKeysAnswerSchema, answer, 'the data-keys answer', 'invalid-answer').keys) found.set(key.id, key);
      answered++;
    } catch (err) {
      failures.push(`${addr}: ${messageOf(err)}`);
    }
  }));
  if (answered === 0) throw errors.unavailable('managers-unreachable', `no other manager gave its data keys: ${failures.join('; ') || 'no other manager is known'}`);
  return [...found.values()];
}
