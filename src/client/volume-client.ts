/**
 * Typed calls of the volume routes (`/volumes/…`). Methods throw the BerthError the daemon's
 * answer maps to: not-found for an unknown volume, conflict for one in use, invalid-argument.
 */
import type { ApiTransport } from './api-transport.js';

const enc = encodeURIComponent;

/** `GET /volumes/{name}`. */
export interface Volume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt: string;
  Labels: Record<string, string> | null;
  Options: Record<string, string> | null;
  Scope: string;
  [field: string]: unknown;
}

/** The body of `POST /volumes/create`. */
export interface VolumeCreateConfig {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string>;
  Labels?: Record<string, string>;
}

const filterQuery = (filters: Record<string, string[]> | undefined): string | undefined =>
  filters !== undefined && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;

export class VolumeClient {
  constructor(private readonly api: ApiTransport) {}

  async list(filters?: Record<string, string[]>): Promise<Volume[]> {
    const answer = await this.api.json<{ Volumes: Volume[] | null }>('GET', '/volumes', { query: { filters: filterQuery(filters) } });
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

  prune(filters?: Record<string, string[]>): Promise<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }> {
    return this.api.json('POST', '/volumes/prune', { query: { filters: filterQuery(filters) } });
  }
}
