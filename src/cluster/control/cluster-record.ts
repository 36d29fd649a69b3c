/**
 * The cluster's own object in the store (kind `cluster`, id `default`): its id, its CA (the key
 * too: every manager issues node certificates; only managers reach the store, over mutual TLS) and
 * the current join tokens. Rotating a token replaces it here; a join is checked against this.
 */
import { z } from 'zod';
import { errors } from '../../base/errors.js';
import type { ClusterStore, JsonValue } from '../store/cluster-store.js';

export const CLUSTER_RECORD_ID = 'default';

export const clusterRecordSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  caCertPem: z.string(),
  caKeyPem: z.string(),
  /** The etcd CA: etcd trusts only it; managers hold certificates of it, workers never do. */
  etcdCa: z.object({ certPem: z.string(), keyPem: z.string() }),
  tokens: z.object({ worker: z.string(), manager: z.string() }),
  /** The data key that seals new secrets (the key itself is only in the managers' state roots). */
  dataKeyId: z.string().optional(),
});
export type ClusterRecord = z.infer<typeof clusterRecordSchema>;

export interface StoredClusterRecord {
  readonly record: ClusterRecord;
  readonly version: number;
}

export async function readClusterRecord(store: ClusterStore): Promise<StoredClusterRecord> {
  const stored = await store.get('cluster', CLUSTER_RECORD_ID);
  if (stored === undefined) throw errors.failedPrecondition('cluster-record-missing', 'the cluster store holds no cluster: was it initialised?');
  return { record: clusterRecordSchema.parse(stored.value), version: stored.version };
}

export function recordValue(record: ClusterRecord): JsonValue {
  const { dataKeyId, ...rest } = record;
  return { ...rest, tokens: { ...record.tokens }, etcdCa: { ...record.etcdCa }, ...(dataKeyId === undefined ? {} : { dataKeyId }) };
}
