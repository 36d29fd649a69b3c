/**
 * Typed calls of the cluster's secrets and configs (`/secrets`, `/configs`, Docker's Swarm API)
 * and berth's data key rotation (`/berth/v1/cluster/data-key/rotate`). Managers only (else
 * unavailable); not-found for an unknown name or id; conflict for a name in use or an update whose
 * version moved on; invalid-argument for a bad name, data of 500 KiB or more (a config: 1000 KiB), a change other than labels,
 * or the removal of one a service uses (the message names the services).
 */
import type { DataKeyRotation, FileObjectCreateResponse, SwarmConfig, SwarmSecret } from '../wire/swarm-secrets.js';
import type { ApiTransport } from './api-transport.js';
import type { ClusterFilters } from './cluster-client.js';

const enc = encodeURIComponent;

export type FileObjectKind = 'secret' | 'config';

export interface FileObjectCreate {
  name: string;
  labels?: Record<string, string>;
  data: Uint8Array;
}

export class FileObjectClient {
  constructor(private readonly api: ApiTransport) {}

  list(kind: 'secret', filters?: ClusterFilters): Promise<SwarmSecret[]>;
  list(kind: 'config', filters?: ClusterFilters): Promise<SwarmConfig[]>;
  list(kind: FileObjectKind, filters?: ClusterFilters): Promise<(SwarmSecret | SwarmConfig)[]> {
    const query = filters !== undefined && Object.keys(filters).length > 0 ? { filters: JSON.stringify(filters) } : {};
    return this.api.json('GET', `/${kind}s`, { query });
  }

  /** Creates one; resolves with its id. */
  async create(kind: FileObjectKind, object: FileObjectCreate): Promise<string> {
    const body = { Name: object.name, Labels: object.labels ?? {}, Data: Buffer.from(object.data).toString('base64') };
    const answer = await this.api.json<FileObjectCreateResponse>('POST', `/${kind}s/create`, { body });
    return answer.ID;
  }

  inspect(kind: 'secret', ref: string): Promise<SwarmSecret>;
  inspect(kind: 'config', ref: string): Promise<SwarmConfig>;
  inspect(kind: FileObjectKind, ref: string): Promise<SwarmSecret | SwarmConfig> {
    return this.api.json('GET', `/${kind}s/${enc(ref)}`);
  }

  /**
   * Replaces the labels (the only change allowed). With `data` (as `docker stack deploy` sends
   * it), invalid-argument when it is not the object's data.
   */
  async updateLabels(kind: FileObjectKind, id: string, version: number, name: string, labels: Record<string, string>, data?: Uint8Array): Promise<void> {
    const body = { Name: name, Labels: labels, ...(data === undefined ? {} : { Data: Buffer.from(data).toString('base64') }) };
    await this.api.call('POST', `/${kind}s/${enc(id)}/update`, { query: { version: String(version) }, body });
  }

  async remove(kind: FileObjectKind, ref: string): Promise<void> {
    await this.api.call('DELETE', `/${kind}s/${enc(ref)}`);
  }

  /** A new data key seals every secret from now on. */
  rotateDataKey(): Promise<DataKeyRotation> {
    return this.api.json<DataKeyRotation>('POST', '/berth/v1/cluster/data-key/rotate');
  }
}
