/**
 * Typed calls of berth's network policies (`/berth/v1/network-policies`, on a manager; else
 * unavailable). invalid-argument naming the field of a bad spec, not-found for a service it names
 * that does not exist or an unknown policy, conflict for a name in use.
 */
import type { NetworkPolicyView } from '../wire/network-policies.js';
import type { ApiTransport } from './api-transport.js';

const enc = encodeURIComponent;

export class NetworkPolicyClient {
  constructor(private readonly api: ApiTransport) {}

  list(): Promise<NetworkPolicyView[]> {
    return this.api.json('GET', '/berth/v1/network-policies');
  }

  /** Creates one from its spec (checked by the manager); resolves with it as stored. */
  create(spec: unknown): Promise<NetworkPolicyView> {
    return this.api.json('POST', '/berth/v1/network-policies', { body: spec });
  }

  /** By id, id prefix or name. */
  inspect(ref: string): Promise<NetworkPolicyView> {
    return this.api.json('GET', `/berth/v1/network-policies/${enc(ref)}`);
  }

  async remove(ref: string): Promise<void> {
    await this.api.call('DELETE', `/berth/v1/network-policies/${enc(ref)}`);
  }
}
