/**
 * What a container asks of networking (part of its durable config): bridge networks with their
 * aliases, or another container's namespace (`container:<id>`); published ports, `-P`, DNS
 * servers, search domains and extra hosts. Absent = the engine's `networkMode` (none or host).
 */
import { z } from 'zod';

export const portBindingSchema = z.object({
  containerPort: z.number().int().min(1).max(65535),
  protocol: z.enum(['tcp', 'udp', 'sctp']),
  hostIp: z.string(),
  hostPort: z.number().int().min(0).max(65535),
});

export const containerNetworkSchema = z.object({
  mode: z.enum(['bridge', 'container']),
  /** Network ids in attachment order (eth0, eth1, …) with the container's aliases on each. */
  networks: z.array(z.object({
    id: z.string(),
    aliases: z.array(z.string()),
    /** `--ip` / IPAMConfig.IPv4Address: the address this container always gets on the network. */
    ipv4Address: z.string().optional(),
    /** `--ip6` / IPAMConfig.IPv6Address: likewise on a network with IPv6. */
    ipv6Address: z.string().optional(),
    /** `--link-local-ip` / IPAMConfig.LinkLocalIPs: added to the interface besides its addresses. */
    linkLocalIPs: z.array(z.string()).optional(),
    /** IPAMConfig was given (inspect shows it, even empty, as Docker does). */
    ipamConfig: z.boolean().optional(),
    /**
     * The endpoint's MacAddress: the MAC of the container's interface on the network. (Written from
     * Config.MacAddress on the first network by berth before `macAddress` below existed.)
     */
    macAddress: z.string().optional(),
    /** Links (`container:alias`): the alias resolves to that container in this one's lookups. */
    links: z.array(z.string()).optional(),
    /** DriverOpts, kept and shown (the bridge driver reads none). */
    driverOpts: z.record(z.string(), z.string()).optional(),
  })),
  /** Config.MacAddress: the MAC on the first network unless its endpoint gives one. */
  macAddress: z.string().optional(),
  /** mode `container`: the container whose namespace this one joins. */
  container: z.string().optional(),
  ports: z.array(portBindingSchema),
  /** `--expose` / Config.ExposedPorts of the container itself (`80/tcp`), beside the image's. */
  exposedPorts: z.array(z.string()).optional(),
  dns: z.array(z.string()),
  dnsSearch: z.array(z.string()),
  /** `name:ip` entries for /etc/hosts; ip may be `host-gateway`. */
  extraHosts: z.array(z.string()),
});
export type ContainerNetwork = z.infer<typeof containerNetworkSchema>;

/** One EndpointsConfig entry of a request: aliases, the static settings, links and driver options. */
export interface EndpointRequest {
  aliases?: string[];
  ipv4Address?: string;
  ipv6Address?: string;
  linkLocalIPs?: string[];
  /** IPAMConfig was present in the request. */
  ipamConfig?: boolean;
  macAddress?: string;
  links?: string[];
  driverOpts?: Record<string, string>;
}

/** What a create request says, before networks are resolved to ids. */
export interface ContainerNetworkRequest {
  /** `bridge` (default network), a network name or id, or `container:<name|id>`. */
  mode: string;
  /** Further networks (NetworkingConfig.EndpointsConfig) and aliases per network name. */
  endpoints?: Record<string, EndpointRequest>;
  /** Config.MacAddress: the MAC on the first network (unless its endpoint gives one). */
  macAddress?: string;
  /** Config.ExposedPorts keys (`80`, `80/udp`, `9000-9001/tcp`); `-P` publishes them with the image's. */
  exposedPorts?: string[];
  ports?: z.infer<typeof portBindingSchema>[];
  publishAll?: boolean;
  dns?: string[];
  dnsSearch?: string[];
  extraHosts?: string[];
}
