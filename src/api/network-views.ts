/**
 * Networks and the networking part of containers as the Docker Engine API shows them: the network
 * object of `GET /networks`, and for containers HostConfig.NetworkMode/PortBindings and
 * NetworkSettings (Networks.<name>.IPAddress, Gateway, MacAddress, IPPrefixLen; Ports).
 */
import type { ContainerRecord } from '../engine/container-record.js';
import type { NetworkService } from '../network/network-service.js';
import type { EndpointRecord, NetworkRecord } from '../network/network-store.js';
import { parsePortKey, toDockerPortBindings } from '../network/port-spec.js';

export function networkView(network: NetworkRecord, endpoints: readonly EndpointRecord[]): Record<string, unknown> {
  const containers: Record<string, unknown> = {};
  for (const e of endpoints) {
    containers[e.containerId] = { Name: e.containerName, EndpointID: endpointId(e), MacAddress: e.mac, IPv4Address: `${e.ip}/${e.prefixLen}`, IPv6Address: '' };
  }
  return {
    Name: network.name, Id: network.id, Created: network.createdAt, Scope: 'local', Driver: network.driver, EnableIPv6: false,
    IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: network.subnet, Gateway: network.gateway, ...(network.ipRange === undefined ? {} : { IPRange: network.ipRange }) }] },
    Internal: network.internal, Attachable: false, Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false,
    Containers: containers, Options: { 'com.docker.network.bridge.name': network.bridge, ...network.options }, Labels: network.labels,
  };
}

function endpointId(e: EndpointRecord): string {
  return `${e.networkId.slice(0, 32)}${e.containerId.slice(0, 32)}`;
}

/** Docker's NetworkMode string of a container. */
export function networkModeOf(record: ContainerRecord, service: NetworkService): string {
  const net = record.config.network;
  if (net === undefined) return record.config.options.networkMode ?? 'none';
  if (net.mode === 'container') return `container:${net.container ?? ''}`;
  const first = net.networks[0];
  return first === undefined ? 'none' : (service.store.find(first.id)?.name ?? first.id);
}

function portsOf(record: ContainerRecord, endpoints: readonly EndpointRecord[]): Record<string, { HostIp: string; HostPort: string }[] | null> {
  const ports: Record<string, { HostIp: string; HostPort: string }[] | null> = {};
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

/** Adds the networking fields to an inspect view (`GET /containers/{id}/json`). */
export function withNetworkInspect(view: Record<string, unknown>, record: ContainerRecord, service: NetworkService): Record<string, unknown> {
  const endpoints = service.store.endpointsOfContainer(record.id);
  const networks: Record<string, unknown> = {};
  for (const n of record.config.network?.networks ?? []) {
    const network = service.store.find(n.id);
    if (network === undefined) continue;
    const e = endpoints.find((x) => x.networkId === n.id);
    networks[network.name] = {
      IPAMConfig: n.ipv4Address === undefined ? null : { IPv4Address: n.ipv4Address }, Links: null, Aliases: n.aliases.length === 0 ? null : n.aliases, NetworkID: network.id,
      EndpointID: e === undefined ? '' : endpointId(e), Gateway: e === undefined ? '' : network.gateway, IPAddress: e?.ip ?? '',
      IPPrefixLen: e?.prefixLen ?? 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: e?.mac ?? '', DriverOpts: null,
    };
  }
  const primary = endpoints.find((e) => e.ifname === 'eth0');
  const hostConfig = typeof view.HostConfig === 'object' && view.HostConfig !== null ? view.HostConfig : {};
  const config = typeof view.Config === 'object' && view.Config !== null ? view.Config : undefined;
  const exposed = record.config.network?.exposedPorts ?? [];
  const primaryMac = record.config.network?.networks[0]?.macAddress;
  return {
    ...view,
    ...(config === undefined ? {} : {
      Config: {
        ...config,
        ...(exposed.length === 0 ? {} : { ExposedPorts: Object.fromEntries(exposed.map((k) => [k.includes('/') ? k : `${k}/tcp`, {}])) }),
        ...(primaryMac === undefined ? {} : { MacAddress: primaryMac }),
      },
    }),
    HostConfig: {
      ...hostConfig, NetworkMode: networkModeOf(record, service),
      PortBindings: toDockerPortBindings(record.config.network?.ports ?? []), PublishAllPorts: false,
      Dns: record.config.network?.dns ?? [], DnsSearch: record.config.network?.dnsSearch ?? [], ExtraHosts: record.config.network?.extraHosts ?? null,
    },
    NetworkSettings: {
      Bridge: '', SandboxID: '', HairpinMode: false, LinkLocalIPv6Address: '', LinkLocalIPv6PrefixLen: 0,
      Ports: portsOf(record, endpoints), SandboxKey: primary === undefined ? '' : service.attachments.netnsPath(record.id),
      IPAddress: primary?.ip ?? '', IPPrefixLen: primary?.prefixLen ?? 0, MacAddress: primary?.mac ?? '',
      Gateway: primary === undefined ? '' : (service.store.find(primary.networkId)?.gateway ?? ''),
      Networks: networks,
    },
  };
}

/** Adds Ports, HostConfig.NetworkMode and NetworkSettings.Networks to a list entry. */
export function withNetworkSummary(view: Record<string, unknown>, record: ContainerRecord, service: NetworkService): Record<string, unknown> {
  const full = withNetworkInspect({}, record, service) as { NetworkSettings: { Networks: unknown } };
  const ports = service.store.endpointsOfContainer(record.id).flatMap((e) => e.ports.map((p) => ({
    IP: p.hostIp === '' ? '0.0.0.0' : p.hostIp, PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.protocol,
  })));
  return { ...view, Ports: ports, HostConfig: { NetworkMode: networkModeOf(record, service) }, NetworkSettings: { Networks: full.NetworkSettings.Networks } };
}
