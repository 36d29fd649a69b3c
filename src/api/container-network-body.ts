/**
 * The networking part of `POST /containers/create`: HostConfig.NetworkMode (`default`/`bridge`,
 * a network name or id, `container:<name|id>`, `none`, `host`), NetworkingConfig.EndpointsConfig
 * (more networks, aliases, links, driver options, IPAMConfig addresses, MacAddress), Config.MacAddress and
 * Config.ExposedPorts, PortBindings, PublishAllPorts, Dns, DnsSearch, ExtraHosts.
 * A create without a NetworkMode gets the default `bridge` network, as in Docker. The schemas:
 * `../wire/networks.ts`.
 */
import { errors } from '../base/errors.js';
import type { ContainerNetworkRequest, EndpointRequest } from '../network/container-network.js';
import { fromDockerPortBindings } from '../wire/port-specs.js';
import type { EndpointSettings, NetworkingConfig, PortBindingsBody } from '../wire/networks.js';

/**
 * Endpoint settings → the engine's request, keeping what inspect shows as given: Links and
 * DriverOpts (null vs. empty), whether IPAMConfig was sent. The engine checks the values.
 */
export function endpointFromBody(endpoint: EndpointSettings | null | undefined): EndpointRequest {
  const out: EndpointRequest = { aliases: endpoint?.Aliases ?? [] };
  const ipam = endpoint?.IPAMConfig;
  const ip = ipam?.IPv4Address ?? '';
  const ip6 = ipam?.IPv6Address ?? '';
  const mac = endpoint?.MacAddress ?? '';
  if (ipam !== null && ipam !== undefined) out.ipamConfig = true;
  if (ip !== '') out.ipv4Address = ip;
  if (ip6 !== '') out.ipv6Address = ip6;
  if ((ipam?.LinkLocalIPs ?? []).length > 0) out.linkLocalIPs = ipam?.LinkLocalIPs ?? [];
  if (mac !== '') out.macAddress = mac;
  if (endpoint?.Links !== null && endpoint?.Links !== undefined) out.links = endpoint.Links;
  if (endpoint?.DriverOpts !== null && endpoint?.DriverOpts !== undefined) out.driverOpts = endpoint.DriverOpts;
  return out;
}

export interface NetworkBodyParts {
  NetworkDisabled?: boolean | null | undefined;
  MacAddress?: string | null | undefined;
  ExposedPorts?: Record<string, unknown> | null | undefined;
  NetworkingConfig?: NetworkingConfig | undefined;
  HostConfig?: {
    NetworkMode?: string | null | undefined;
    PortBindings?: PortBindingsBody | undefined;
    PublishAllPorts?: boolean | null | undefined;
    Dns?: string[] | null | undefined;
    DnsSearch?: string[] | null | undefined;
    ExtraHosts?: string[] | null | undefined;
  } | null | undefined;
}

/** `none`/`host` stay engine namespace modes; everything else becomes a network request. */
export function networkFromBody(body: NetworkBodyParts): { networkMode?: 'none' | 'host'; network?: ContainerNetworkRequest } {
  const host = body.HostConfig ?? {};
  const mode = host.NetworkMode === null || host.NetworkMode === undefined || host.NetworkMode === '' ? 'default' : host.NetworkMode;
  const endpoints: NonNullable<ContainerNetworkRequest['endpoints']> = {};
  for (const [name, endpoint] of Object.entries(body.NetworkingConfig?.EndpointsConfig ?? {})) {
    endpoints[name] = endpointFromBody(endpoint);
  }
  const mac = body.MacAddress ?? '';
  if (body.NetworkDisabled === true || mode === 'none' || mode === 'host') {
    if (mac !== '' || Object.values(endpoints).some((e) => e.ipv4Address !== undefined || e.ipv6Address !== undefined || e.macAddress !== undefined)) {
      throw errors.invalidArgument('conflicting-network-options', `MacAddress/IPAMConfig: conflicting options: an address or MAC address cannot be given with network mode ${mode}`);
    }
    return { networkMode: mode === 'host' ? 'host' : 'none' };
  }
  const request: ContainerNetworkRequest = {
    mode,
    endpoints,
    ...(mac === '' ? {} : { macAddress: mac }),
    ...(Object.keys(body.ExposedPorts ?? {}).length === 0 ? {} : { exposedPorts: Object.keys(body.ExposedPorts ?? {}) }),
    ports: fromDockerPortBindings(host.PortBindings),
    publishAll: host.PublishAllPorts ?? false,
    dns: host.Dns ?? [],
    dnsSearch: host.DnsSearch ?? [],
    extraHosts: host.ExtraHosts ?? [],
  };
  return { network: request };
}
