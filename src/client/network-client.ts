/**
 * Typed calls of the network routes (`/networks/…`). Errors as ContainerClient: not-found for an
 * unknown network or container, conflict for a name in use or a network with containers.
 */
import type {
  NetworkConnectConfig, NetworkCreateConfig, NetworkCreateResponse, NetworkDisconnectConfig, NetworkPruneResponse, NetworkView,
} from '../wire/networks.js';
import type { ApiTransport } from './api-transport.js';

export class NetworkClient {
  constructor(private readonly api: ApiTransport) {}

  /** `filters`: Docker's (`{"label":["k=v"],"driver":["overlay"]}`). */
  list(filters?: Record<string, string[]>): Promise<NetworkView[]> {
    const query = filters !== undefined && Object.keys(filters).length > 0 ? { filters: JSON.stringify(filters) } : {};
    return this.api.json<NetworkView[]>('GET', '/networks', { query });
  }

  inspect(ref: string): Promise<NetworkView> {
    return this.api.json<NetworkView>('GET', `/networks/${encodeURIComponent(ref)}`);
  }

  create(options: NetworkCreateConfig): Promise<NetworkCreateResponse> {
    return this.api.json<NetworkCreateResponse>('POST', '/networks/create', { body: options });
  }

  async remove(ref: string): Promise<void> {
    await this.api.call('DELETE', `/networks/${encodeURIComponent(ref)}`);
  }

  /** `ip`/`ip6`/`mac`: a static address / MAC on the network ('' or absent: chosen by berth). */
  async connect(ref: string, container: string, aliases: string[], fixed: { ip?: string; ip6?: string; mac?: string } = {}): Promise<void> {
    const ipam = { ...(fixed.ip === undefined || fixed.ip === '' ? {} : { IPv4Address: fixed.ip }), ...(fixed.ip6 === undefined || fixed.ip6 === '' ? {} : { IPv6Address: fixed.ip6 }) };
    const endpoint = {
      Aliases: aliases,
      ...(Object.keys(ipam).length === 0 ? {} : { IPAMConfig: ipam }),
      ...(fixed.mac === undefined || fixed.mac === '' ? {} : { MacAddress: fixed.mac }),
    };
    const body: NetworkConnectConfig = { Container: container, EndpointConfig: endpoint };
    await this.api.call('POST', `/networks/${encodeURIComponent(ref)}/connect`, { body });
  }

  async disconnect(ref: string, container: string): Promise<void> {
    const body: NetworkDisconnectConfig = { Container: container };
    await this.api.call('POST', `/networks/${encodeURIComponent(ref)}/disconnect`, { body });
  }

  prune(): Promise<NetworkPruneResponse> {
    return this.api.json<NetworkPruneResponse>('POST', '/networks/prune');
  }
}
