/**
 * Networks and the networking part of containers as the Docker Engine API shows them: the network
 * object of `GET /networks`, and for containers Config.MacAddress/ExposedPorts,
 * HostConfig.NetworkMode/PortBindings and NetworkSettings (Networks.<name> with the endpoint
 * settings and addresses; Ports; the top-level addresses of the default `bridge` network).
 */
import { ZERO_TIME, type ContainerRecord } from '../engine/container-record.js';
import type { ContainerNetwork } from '../network/container-network.js';
import type { IpamPoolRequest } from '../network/ipam-plan.js';
import { DEFAULT_NETWORK, type NetworkService } from '../network/network-service.js';
import type { EndpointRecord, NetworkRecord } from '../network/network-store.js';
import { parsePortKey, toDockerPortBindings } from '../wire/port-specs.js';
import type { ContainerInspect, ContainerSummary } from '../wire/container-inspect.js';
import type { EndpointView, IpamPool, NetworkContainer, NetworkView, PortMap } from '../wire/networks.js';
import type { ContainerInspectBase } from './container-views.js';

function poolView(pool: IpamPoolRequest): IpamPool {
  return {
    ...(pool.subnet === undefined ? {} : { Subnet: pool.subnet }), ...(pool.ipRange === undefined ? {} : { IPRange: pool.ipRange }),
    ...(pool.gateway === undefined ? {} : { Gateway: pool.gateway }), ...(pool.auxAddresses === undefined ? {} : { AuxiliaryAddresses: pool.auxAddresses }),
  };
}

/** IPAM as Docker shows it: the pools and options as given (a network made before berth kept them: its subnet, gateway, range). */
function ipamView(network: NetworkRecord): NetworkView['IPAM'] {
  const legacy = [{ subnet: network.subnet, gateway: network.gateway, ...(network.ipRange === undefined ? {} : { ipRange: network.ipRange }) }];
  return { Driver: 'default', Options: network.ipam === undefined ? {} : network.ipam.options, Config: (network.ipam?.config ?? legacy).map(poolView) };
}

/**
 * The network object of `GET /networks/{id}` (with the attached containers) and of `GET /networks`
 * (pass no endpoints: dockerd lists none there). Options and labels as given, nothing added.
 */
export function networkView(network: NetworkRecord, endpoints: readonly EndpointRecord[]): NetworkView {
  const containers: Record<string, NetworkContainer> = {};
  for (const e of endpoints) {
    containers[e.containerId] = {
      Name: e.containerName, EndpointID: endpointId(e), MacAddress: e.mac, IPv4Address: `${e.ip}/${e.prefixLen}`,
      IPv6Address: e.ip6 === undefined ? '' : `${e.ip6}/${e.prefixLen6 ?? 0}`,
    };
  }
  return {
    Name: network.name, Id: network.id, Created: network.createdAt, Scope: network.driver === 'overlay' ? 'swarm' : 'local', Driver: network.driver, EnableIPv6: network.enableIPv6,
    IPAM: ipamView(network), Internal: network.internal, Attachable: network.attachable, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false,
    Containers: containers, Options: network.options, Labels: network.labels,
    ...overlayFields(network),
  };
}

/** dockerd's option carrying an overlay network's VXLAN id. */
export const VXLAN_ID_OPTION = 'com.docker.network.driver.overlay.vxlanid_list';

/**
 * A node's share of a cluster network as dockerd shows it: the VXLAN id among the options, and
 * the nodes carrying it (this one first) as Peers — by address, the only name the node knows them by.
 */
function overlayFields(network: NetworkRecord): Partial<NetworkView> {
  const state = network.overlay;
  if (network.driver !== 'overlay' || state === undefined) return {};
  return {
    Options: { ...network.options, [VXLAN_ID_OPTION]: String(state.Vni) },
    Peers: [state.LocalAddress, ...state.Peers].map((ip) => ({ Name: ip, IP: ip })),
  };
}

function endpointId(e: EndpointRecord): string {
  return `${e.networkId.slice(0, 32)}${e.containerId.slice(0, 32)}`;
}

type Entry = ContainerNetwork['networks'][number];

/** IPAMConfig as given: null when not, else only the keys that were set. */
function ipamConfigView(n: Entry): EndpointView['IPAMConfig'] {
  const view = {
    ...(n.ipv4Address === undefined ? {} : { IPv4Address: n.ipv4Address }), ...(n.ipv6Address === undefined ? {} : { IPv6Address: n.ipv6Address }),
    ...(n.linkLocalIPs === undefined ? {} : { LinkLocalIPs: n.linkLocalIPs }),
  };
  return Object.keys(view).length === 0 && n.ipamConfig !== true ? null : view;
}

/**
 * One entry of NetworkSettings.Networks, as dockerd shows it: the endpoint settings as given; once
 * the container has started, the network's id and, on a user-defined network, its short id among
 * the aliases (Docker adds it at each start and connect); the addresses of the current run.
 */
export function endpointView(record: ContainerRecord, n: Entry, network: NetworkRecord, e: EndpointRecord | undefined): EndpointView {
  const started = record.state.startedAt !== ZERO_TIME || e !== undefined;
  const shortId = record.id.slice(0, 12);
  const aliases = started && network.name !== DEFAULT_NETWORK && !n.aliases.includes(shortId) ? [...n.aliases, shortId] : n.aliases;
  return {
    IPAMConfig: ipamConfigView(n), Links: n.links ?? null, Aliases: aliases.length === 0 ? null : aliases, NetworkID: started ? network.id : '',
    EndpointID: e === undefined ? '' : endpointId(e), Gateway: e === undefined ? '' : network.gateway, IPAddress: e?.ip ?? '', IPPrefixLen: e?.prefixLen ?? 0,
    IPv6Gateway: e?.ip6 === undefined ? '' : network.ipv6?.gateway ?? '', GlobalIPv6Address: e?.ip6 ?? '', GlobalIPv6PrefixLen: e?.prefixLen6 ?? 0,
    // Before the first start Docker shows the MAC the endpoint asked for; then the run's.
    MacAddress: e?.mac ?? (started ? '' : n.macAddress ?? ''), DriverOpts: n.driverOpts ?? null,
  };
}

/** Docker's NetworkMode string of a container. */
export function networkModeOf(record: ContainerRecord, service: NetworkService): string {
  const net = record.config.network;
  if (net === undefined) return record.config.options.networkMode ?? 'none';
  if (net.mode === 'container') return `container:${net.container ?? ''}`;
  const first = net.networks[0];
  return first === undefined ? 'none' : (service.store.find(first.id)?.name ?? first.id);
}

function portsOf(record: ContainerRecord, endpoints: readonly EndpointRecord[]): PortMap {
  const ports: PortMap = {};
  for (const key of record.config.network?.exposedPorts ?? []) {
    for (const p of parsePortKey(key)) ports[`${p.port}/${p.protocol}`] = null;
  }
  for (const p of record.config.network?.ports ?? []) ports[`${p.containerPort}/${p.protocol}`] = null;
  for (const e of endpoints) {
    for (const [key, list] of Object.entries(toDockerPortBindings(e.ports))) {
      ports[key] = [...(ports[key] ?? []), ...list.map((b) => ({ HostIp: b.HostIp === '' ? '0.0.0.0' : b.HostIp, HostPort: b.HostPort }))];
    }
  }
  return ports;
}

/** NetworkSettings.Networks: the container's endpoint on each network, by network name. */
function networksView(record: ContainerRecord, service: NetworkService, endpoints: readonly EndpointRecord[]): Record<string, EndpointView> {
  const networks: Record<string, EndpointView> = {};
  for (const n of record.config.network?.networks ?? []) {
    const network = service.store.find(n.id);
    if (network !== undefined) networks[network.name] = endpointView(record, n, network, endpoints.find((x) => x.networkId === n.id));
  }
  return networks;
}

/** Adds the networking fields to an inspect view (`GET /containers/{id}/json`). */
export function withNetworkInspect(view: ContainerInspectBase, record: ContainerRecord, service: NetworkService): ContainerInspect {
  const endpoints = service.store.endpointsOfContainer(record.id);
  const networks = networksView(record, service, endpoints);
  // As dockerd: the top-level addresses are those on the default network only.
  const defaultNet = service.store.findByName(DEFAULT_NETWORK);
  const primary = endpoints.find((e) => e.networkId === defaultNet?.id);
  const exposed = record.config.network?.exposedPorts ?? [];
  const configMac = record.config.network?.macAddress;
  return {
    ...view,
    Config: {
      ...view.Config,
      ...(exposed.length === 0 ? {} : { ExposedPorts: Object.fromEntries(exposed.map((k) => [k.includes('/') ? k : `${k}/tcp`, {}])) }),
      ...(configMac === undefined ? {} : { MacAddress: configMac }),
    },
    HostConfig: {
      ...view.HostConfig, NetworkMode: networkModeOf(record, service),
      PortBindings: toDockerPortBindings(record.config.network?.ports ?? []), PublishAllPorts: false,
      Dns: record.config.network?.dns ?? [], DnsSearch: record.config.network?.dnsSearch ?? [], ExtraHosts: record.config.network?.extraHosts ?? null,
    },
    NetworkSettings: {
      Bridge: '', SandboxID: '', HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
      // As dockerd, the key of the container's last namespace stays after its run.
      Ports: portsOf(record, endpoints), SandboxKey: endpoints.length === 0 && record.state.startedAt === ZERO_TIME ? '' : service.attachments.netnsPath(record.id),
      SecondaryIPAddresses: null, SecondaryIPv6Addresses: null, EndpointID: primary === undefined ? '' : endpointId(primary),
      Gateway: primary === undefined ? '' : defaultNet?.gateway ?? '',
      GlobalIPv6Address: primary?.ip6 ?? '', GlobalIPv6PrefixLen: primary?.prefixLen6 ?? 0,
      IPAddress: primary?.ip ?? '', IPPrefixLen: primary?.prefixLen ?? 0,
      IPv6Gateway: primary?.ip6 === undefined ? '' : defaultNet?.ipv6?.gateway ?? '', MacAddress: primary?.mac ?? '',
      Networks: networks,
    },
  };
}

/** Adds Ports, HostConfig.NetworkMode and NetworkSettings.Networks to a list entry. */
export function withNetworkSummary(view: ContainerSummary, record: ContainerRecord, service: NetworkService): ContainerSummary {
  const networks = networksView(record, service, service.store.endpointsOfContainer(record.id));
  const ports = service.store.endpointsOfContainer(record.id).flatMap((e) => e.ports.map((p) => ({
    IP: p.hostIp === '' ? '0.0.0.0' : p.hostIp, PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.protocol,
  })));
  return { ...view, Ports: ports, HostConfig: { NetworkMode: networkModeOf(record, service) }, NetworkSettings: { Networks: networks } };
}
