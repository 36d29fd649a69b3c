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
import { networkHosts, networkResolvConf, type NetworkEtcInput } from '../network/container-etc.js';
import { DEFAULT_NETWORK, type NetworkService } from '../network/network-service.js';
import { parsePortKey, publishAllPorts } from '../wire/port-specs.js';
import { endpointEntry } from '../network/endpoint-settings.js';
import { networkChoice } from '../network/container-attachments.js';
import { checkMacAddress } from '../network/static-address.js';
import { isMountPoint } from '../mount/mount-table.js';
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
    const fixed = Object.values(request.endpoints ?? {}).some((e) => (e.ipv4Address ?? '') !== '' || (e.ipv6Address ?? '') !== '' || (e.macAddress ?? '') !== '') || (request.macAddress ?? '') !== '';
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
    const entry = endpointEntry(network, endpoint, `NetworkingConfig.EndpointsConfig.${name}`);
    if (network.name === DEFAULT_NETWORK) entry.aliases = [];
    networks.push(entry);
  }
  const configMac = request.macAddress !== undefined && request.macAddress !== '' ? checkMacAddress(request.macAddress, 'MacAddress') : undefined;
  const exposed = request.exposedPorts ?? [];
  for (const key of exposed) parsePortKey(key, 'ExposedPorts');
  const allExposed = { ...(exposedPorts ?? {}), ...Object.fromEntries(exposed.map((k) => [k, {}])) };
  const ports = request.publishAll === true ? publishAllPorts(request.ports ?? [], allExposed) : [...(request.ports ?? [])];
  return { mode: 'bridge', networks, ports, ...(exposed.length > 0 ? { exposedPorts: exposed } : {}), ...(configMac === undefined ? {} : { macAddress: configMac }), ...base };
}

/**
 * Attaches the run's network namespace; returns its path for the runtime spec, or undefined when
 * the container has no bridge networking. `linkHosts` are the /etc/hosts lines of its legacy links.
 * Throws conflict (`container-not-running`) when the container to share a namespace with is not running.
 */
export async function attachRunNetwork(ctx: NetworkingContext, record: ContainerRecord, linkHosts: readonly string[] = []): Promise<string | undefined> {
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
  const choices = net.networks.map((n, index) => {
    const network = ctx.network.store.find(n.id);
    if (network === undefined) throw errors.notFound('no-such-network', `network ${n.id} not found`);
    return networkChoice(network, n, index === 0 ? net.macAddress : undefined);
  });
  const netns = await ctx.network.attachments.attach({ containerId: record.id, containerName: record.name, networks: choices, ports: net.ports });
  const input = runEtcInput(ctx, record, net, linkHosts);
  await writeFile(ctx.paths.etcFile(record.id, 'hosts'), networkHosts(input));
  await writeFile(ctx.paths.etcFile(record.id, 'resolv.conf'), networkResolvConf(input));
  return netns;
}

/** What the etc files of a run on bridge networks say: its address on eth0, names, DNS, extra hosts and links. */
function runEtcInput(ctx: NetworkingContext, record: ContainerRecord, net: ContainerNetwork, linkHosts: readonly string[]): NetworkEtcInput {
  const eth0 = ctx.network.store.endpointsOfContainer(record.id).find((e) => e.ifname === 'eth0');
  const gateway = ctx.network.store.find(net.networks[0]?.id ?? '')?.gateway ?? '';
  return {
    hostname: record.config.options.hostname ?? record.id.slice(0, 12), domainname: record.config.options.domainname,
    ip: eth0?.ip, ip6: eth0?.ip6, gateway, extraHosts: net.extraHosts, dns: net.dns, dnsSearch: net.dnsSearch, hostResolvConf: ctx.hostResolvConf,
    linkHosts,
  };
}

/** Rewrites the /etc/hosts of a running container on bridge networks (its links changed); other containers are left alone. */
export async function rewriteRunHosts(ctx: NetworkingContext, record: ContainerRecord, linkHosts: readonly string[]): Promise<void> {
  const net = record.config.network;
  if (net?.mode !== 'bridge' || !isActive(record.state)) return;
  await writeFile(ctx.paths.etcFile(record.id, 'hosts'), networkHosts(runEtcInput(ctx, record, net, linkHosts)));
}
