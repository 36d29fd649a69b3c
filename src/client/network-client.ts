/**
 * Typed calls of the network routes (`/networks/…`). Errors as ContainerClient: not-found for an
 * unknown network or container, conflict for a name in use or a network with containers.
 */
import type { ApiTransport } from './api-transport.js';

/** The network object of `GET /networks` (the fields the CLI reads; the rest pass through). */
export interface NetworkSummary {
  Name: string;
  Id: string;
  Created: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  IPAM: { Config: { Subnet: string; Gateway: string }[] };
  Containers: Record<string, { Name: string; IPv4Address: string }>;
  Labels: Record<string, string>;
  [field: string]: unknown;
}

export interface NetworkCreateOptions {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  EnableIPv6?: boolean;
  IPAM?: { Config: { Subnet?: string; Gateway?: string; IPRange?: string }[] };
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
}

export class NetworkClient {
  constructor(private readonly api: ApiTransport) {}

  list(): Promise<NetworkSummary[]> {
    return this.api.json<NetworkSummary[]>('GET', '/networks');
  }

  inspect(ref: string): Promise<NetworkSummary> {
    return this.api.json<NetworkSummary>('GET', `/networks/${encodeURIComponent(ref)}`);
  }

  create(options: NetworkCreateOptions): Promise<{ Id: string }> {
    return this.api.json<{ Id: string }>('POST', '/networks/create', { body: options });
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
    await this.api.call('POST', `/networks/${encodeURIComponent(ref)}/connect`, { body: { Container: container, EndpointConfig: endpoint } });
  }

  async disconnect(ref: string, container: string): Promise<void> {
    await this.api.call('POST', `/networks/${encodeURIComponent(ref)}/disconnect`, { body: { Container: container } });
  }

  prune(): Promise<{ NetworksDeleted: string[] | null }> {
    return this.api.json<{ NetworksDeleted: string[] | null }>('POST', '/networks/prune');
  }
}
