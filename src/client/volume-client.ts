/**
 * Typed calls of the volume routes (`/volumes/…`). Methods throw the BerthError the daemon's
 * answer maps to: not-found for an unknown volume, conflict for one in use, invalid-argument.
 */
import type { Volume, VolumeCreateConfig, VolumeList, VolumePruneResponse } from '../wire/volumes.js';
import type { ApiTransport } from './api-transport.js';

const enc = encodeURIComponent;

const filterQuery = (filters: Record<string, string[]> | undefined): string | undefined =>
  filters !== undefined && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;

export class VolumeClient {
  constructor(private readonly api: ApiTransport) {}

  async list(filters?: Record<string, string[]>): Promise<Volume[]> {
    const answer = await this.api.json<VolumeList>('GET', '/volumes', { query: { filters: filterQuery(filters) } });
    return answer.Volumes ?? [];
  }

  create(config: VolumeCreateConfig): Promise<Volume> {
    return this.api.json<Volume>('POST', '/volumes/create', { body: config });
  }

  inspect(name: string): Promise<Volume> {
    return this.api.json<Volume>('GET', `/volumes/${enc(name)}`);
  }

  async remove(name: string, force = false): Promise<void> {
    await this.api.call('DELETE', `/volumes/${enc(name)}`, { query: { force: force ? true : undefined } });
  }

  prune(filters?: Record<string, string[]>): Promise<VolumePruneResponse> {
    return this.api.json('POST', '/volumes/prune', { query: { filters: filterQuery(filters) } });
  }
}
