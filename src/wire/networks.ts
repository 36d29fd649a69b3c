/**
 * Networks on the wire: the bodies of `POST /networks/create` and `/networks/{id}/connect`, the
 * networking fields of a container create body (HostConfig's ports and DNS, NetworkingConfig),
 * and the network object of `GET /networks` and `GET /networks/{id}`. Checks that need the
 * daemon (reserved names, scopes, addresses) stay in `api/`.
 */
import { z } from 'zod';

const strings = z.array(z.string()).nullish();
const stringMap = z.record(z.string(), z.string()).nullish();

/** HostConfig's networking fields of a create body (NetworkMode is with the other HostConfig fields). */
export const hostConfigNetworkFields = {
  PortBindings: z.record(z.string(), z.array(z.object({ HostIp: z.string().nullish(), HostPort: z.string().nullish() })).nullable()).nullish(),
  PublishAllPorts: z.boolean().nullish(),
  Dns: strings,
  DnsSearch: strings,
  ExtraHosts: strings,
};
/** HostConfig.PortBindings as validated (host fields may be null or absent). */
export type PortBindingsBody = z.infer<typeof hostConfigNetworkFields.PortBindings>;

/** One endpoint's settings (EndpointsConfig.<net>, the connect body's EndpointConfig). */
export const endpointSettingsSchema = z.object({
  Aliases: strings,
  Links: strings,
  DriverOpts: stringMap,
  IPAMConfig: z.object({ IPv4Address: z.string().nullish(), IPv6Address: z.string().nullish(), LinkLocalIPs: strings }).nullish(),
  MacAddress: z.string().nullish(),
});
/** Endpoint settings as validated. */
export type EndpointSettings = z.infer<typeof endpointSettingsSchema>;

/** NetworkingConfig of a create body: more networks, by name or id. */
export const networkingConfigSchema = z.object({
  EndpointsConfig: z.record(z.string(), endpointSettingsSchema.nullable()).nullish(),
}).nullish();
export type NetworkingConfig = z.infer<typeof networkingConfigSchema>;

const poolSchema = z.object({
  Subnet: z.string().nullish(), Gateway: z.string().nullish(), IPRange: z.string().nullish(), AuxiliaryAddresses: stringMap,
});

/** The body of `POST /networks/create`. */
export const networkCreateBodySchema = z.object({
  Name: z.string().nullish(),
  Driver: z.string().nullish(),
  Scope: z.string().nullish(),
  Internal: z.boolean().nullish(),
  Attachable: z.boolean().nullish(),
  Ingress: z.boolean().nullish(),
  ConfigOnly: z.boolean().nullish(),
  ConfigFrom: z.object({ Network: z.string().nullish() }).nullish(),
  CheckDuplicate: z.boolean().nullish(),
  EnableIPv6: z.boolean().nullish(),
  IPAM: z.object({ Driver: z.string().nullish(), Config: z.array(poolSchema).nullish(), Options: stringMap }).nullish(),
  Options: stringMap,
  Labels: stringMap,
});
export type NetworkCreateBody = z.infer<typeof networkCreateBodySchema>;
/** What a client sends to create a network. */
export type NetworkCreateConfig = z.input<typeof networkCreateBodySchema>;

/** The body of `POST /networks/{id}/connect`. */
export const networkConnectBodySchema = z.object({
  Container: z.string().min(1, 'Container: required'),
  EndpointConfig: endpointSettingsSchema.nullish(),
  Force: z.boolean().nullish(),
});
export type NetworkConnectConfig = z.input<typeof networkConnectBodySchema>;

/** The body of `POST /networks/{id}/disconnect` (checked with the connect body's schema). */
export type NetworkDisconnectConfig = Pick<NetworkConnectConfig, 'Container' | 'Force'>;

/** One IPAM pool as given at create (only the keys that were set). */
export interface IpamPool {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

/** A container attached to a network, in the network object. */
export interface NetworkContainer {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  /** `address/prefix`. */
  IPv4Address: string;
  /** `address/prefix`, or empty. */
  IPv6Address: string;
}

/** The network object of `GET /networks/{id}` (and of `GET /networks`, with no containers). */
export interface NetworkView {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  /** Options null when a create gave none (`IPAM.Options` absent). */
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IpamPool[] };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  /** By container id. */
  Containers: Record<string, NetworkContainer>;
  Options: Record<string, string>;
  Labels: Record<string, string>;
  /** Overlay networks: the nodes that carry it. */
  Peers?: { Name: string; IP: string }[];
}

/** `POST /networks/create`. */
export interface NetworkCreateResponse {
  Id: string;
  Warning?: string;
}

/** `POST /networks/prune`. */
export interface NetworkPruneResponse {
  NetworksDeleted: string[] | null;
}

/**
 * One entry of a container's NetworkSettings.Networks: the endpoint settings as given, and once
 * the container has started, the network's id and the addresses of the current run.
 */
export interface EndpointView {
  /** null when not given; else only the keys that were set. */
  IPAMConfig: { IPv4Address?: string; IPv6Address?: string; LinkLocalIPs?: string[] } | null;
  Links: string[] | null;
  Aliases: string[] | null;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  MacAddress: string;
  DriverOpts: Record<string, string> | null;
}

/**
 * `{"80/tcp": [{HostIp, HostPort}]}`: HostConfig.PortBindings, and NetworkSettings.Ports (there a
 * port that is exposed but not published maps to null).
 */
export type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

/** NetworkSettings of container inspect; the top-level addresses are those on the default `bridge` network. */
export interface NetworkSettings {
  Bridge: string;
  SandboxID: string;
  HairpinMode: boolean;
  LinkLocalIPv6Address: string;
  LinkLocalIPv6PrefixLen: number;
  Ports: PortMap;
  SandboxKey: string;
  SecondaryIPAddresses: null;
  SecondaryIPv6Addresses: null;
  EndpointID: string;
  Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  IPAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  MacAddress: string;
  /** By network name. */
  Networks: Record<string, EndpointView>;
}

/** A published port of a container list entry. */
export interface PortView {
  IP: string;
  PrivatePort: number;
  PublicPort: number;
  Type: string;
}
