/**
 * The engine's side of bridge networking: at create, a request's networks are resolved to records
 * (the default `bridge` network is created on first use) and `-P` expands the image's exposed
 * ports; at start, the run's namespace is attached (CNI ADD per network) and hosts/resolv.conf are
 * written with its address and berth's DNS; `container:<id>` joins the other container's namespace.
 * The detach is in `cleanupTask`, so every path that ends a run (exit, stop, rm, failed start,
 * live restore) releases addresses, veths and rules.
 */
import { copyFile, writeFile } from 'node:fs/promises';
import { errors } from '../base/errors.js';
import type { ContainerNetwork, ContainerNetworkRequest } from '../network/container-network.js';
import { networkHosts, networkResolvConf } from '../network/container-etc.js';
import { DEFAULT_NETWORK, type NetworkService } from '../network/network-service.js';
import { parsePortKey, publishAllPorts } from '../network/port-spec.js';
import { checkMacAddress, checkStaticAddress } from '../network/static-address.js';
import { isMountPoint } from '../snapshots/mount-table.js';
import type { ContainerPaths } from './container-paths.js';
import { isActive, type ContainerRecord } from './container-record.js';
import type { ContainerStore } from './container-store.js';

export interface NetworkingContext {
  network: NetworkService;
  store: ContainerStore;
  paths: ContainerPaths;
  hostResolvConf?: string;
}

/** Throws not-found (`no-such-network`, `no-such-container`) for unknown networks or containers. */
export async function resolveContainerNetwork(
  ctx: NetworkingContext, request: ContainerNetworkRequest, exposedPorts: Record<string, unknown> | null | undefined,
): Promise<ContainerNetwork> {
  const base = { dns: request.dns ?? [], dnsSearch: request.dnsSearch ?? [], extraHosts: request.extraHosts ?? [] };
  if (request.mode.startsWith('container:')) {
    const fixed = Object.values(request.endpoints ?? {}).some((e) => (e.ipv4Address ?? '') !== '' || (e.macAddress ?? '') !== '') || (request.macAddress ?? '') !== '';
    if (fixed) throw errors.invalidArgument('conflicting-network-options', 'conflicting options: an address or MAC address cannot be given with a container: network mode');
    const target = ctx.store.resolve(request.mode.slice('container:'.length));
    return { mode: 'container', container: target.id, networks: [], ports: [], ...base };
  }
  const first = request.mode === 'default' || request.mode === '' ? DEFAULT_NETWORK : request.mode;
  const endpoints = Object.fromEntries(Object.entries(request.endpoints ?? {}).map(([k, v]) => [k === 'default' ? DEFAULT_NETWORK : k, v]));
  const names = [first, ...Object.keys(endpoints).filter((n) => n !== first)];
  const networks: ContainerNetwork['networks'] = [];
  for (const name of names) {
    const network = name === DEFAULT_NETWORK ? await ctx.network.ensureDefault() : ctx.network.resolve(name);
    if (networks.some((n) => n.id === network.id)) continue;
    const endpoint = endpoints[name] ?? {};
    const entry: ContainerNetwork['networks'][number] = { id: network.id, aliases: network.name === DEFAULT_NETWORK ? [] : (endpoint.aliases ?? []) };
    const field = `NetworkingConfig.EndpointsConfig.${name}`;
    if (endpoint.ipv4Address !== undefined && endpoint.ipv4Address !== '') entry.ipv4Address = checkStaticAddress(network, endpoint.ipv4Address, `${field}.IPAMConfig.IPv4Address`);
    const mac = endpoint.macAddress !== undefined && endpoint.macAddress !== '' ? endpoint.macAddress : networks.length === 0 ? request.macAddress : undefined;
    if (mac !== undefined && mac !== '') entry.macAddress = checkMacAddress(mac, endpoint.macAddress === mac ? `${field}.MacAddress` : 'MacAddress');
    networks.push(entry);
  }
  const exposed = request.exposedPorts ?? [];
  for (const key of exposed) parsePortKey(key, 'ExposedPorts');
  const allExposed = { ...(exposedPorts ?? {}), ...Object.fromEntries(exposed.map((k) => [k, {}])) };
  const ports = request.publishAll === true ? publishAllPorts(request.ports ?? [], allExposed) : [...(request.ports ?? [])];
  if (exposed.length > 0) return { mode: 'bridge', networks, ports, exposedPorts: exposed, ...base };
  return { mode: 'bridge', networks, ports, ...base };
}

/**
 * Attaches the run's network namespace; returns its path for the runtime spec, or undefined when
 * the container has no bridge networking. Throws conflict (`container-not-running`) when the
 * container to share a namespace with is not running.
 */
export async function attachRunNetwork(ctx: NetworkingContext, record: ContainerRecord): Promise<string | undefined> {
  const net = record.config.network;
  if (net === undefined) return undefined;
  if (net.mode === 'container') {
    const target = net.container === undefined ? undefined : ctx.store.find(net.container);
    if (target === undefined || !isActive(target.state) || target.state.pid <= 0) {
      throw errors.conflict('container-not-running', `cannot join the network of container ${net.container ?? ''}: it is not running`);
    }
    // As Docker: the joining container sees the same hosts and resolv.conf as the one it joins.
    for (const file of ['hosts', 'resolv.conf'] as const) await copyFile(ctx.paths.etcFile(target.id, file), ctx.paths.etcFile(record.id, file));
    const own = ctx.network.attachments.netnsPath(target.id);
    return (await isMountPoint(own)) ? own : `/proc/${target.state.pid}/ns/net`;
  }
  const choices = net.networks.map((n) => {
    const network = ctx.network.store.find(n.id);
    if (network === undefined) throw errors.notFound('no-such-network', `network ${n.id} not found`);
    const fixed = { ...(n.ipv4Address === undefined ? {} : { ipv4Address: n.ipv4Address }), ...(n.macAddress === undefined ? {} : { macAddress: n.macAddress }) };
    return { network, aliases: n.aliases, ...(Object.keys(fixed).length === 0 ? {} : { fixed }) };
  });
  const netns = await ctx.network.attachments.attach({ containerId: record.id, containerName: record.name, networks: choices, ports: net.ports });
  const eth0 = ctx.network.store.endpointsOfContainer(record.id).find((e) => e.ifname === 'eth0');
  const gateway = choices[0]?.network.gateway ?? '';
  const input = {
    hostname: record.config.options.hostname ?? record.id.slice(0, 12), domainname: record.config.options.domainname,
    ip: eth0?.ip, gateway, extraHosts: net.extraHosts, dns: net.dns, dnsSearch: net.dnsSearch, hostResolvConf: ctx.hostResolvConf,
  };
  await writeFile(ctx.paths.etcFile(record.id, 'hosts'), networkHosts(input));
  await writeFile(ctx.paths.etcFile(record.id, 'resolv.conf'), networkResolvConf(input));
  return netns;
}
