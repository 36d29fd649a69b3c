/**
 * Attaching a container's run to networks: its network namespace (a file under
 * `network/netns/<id>`, loopback up), then one CNI ADD per network (eth0, eth1, … in order) and an
 * endpoint row each. The gateway network — the first that is not internal, as dockerd picks it —
 * gets the default route and the published ports. `detachAll` undoes it in the
 * order CNI needs — DEL of every cached attachment while the namespace still exists, then the
 * namespace — and is idempotent, so it also cleans up after a crash. Callers serialize calls per
 * container.
 */
import { errors } from '../base/errors.js';
import { Notifier } from '../base/notifier.js';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { attachmentConfList, cniNetworkName } from './cni-config.js';
import type { CniDriver, CniResult } from './cni-driver.js';
import type { HostNet } from './host-net.js';
import { hasIpv6, type EndpointRecord, type NetworkRecord, type NetworkStore } from './network-store.js';
import type { PortBinding } from '../wire/port-specs.js';
import { addressInUse, type StaticEndpoint } from './static-address.js';
import { bridgeOptions } from './network-options.js';
import { fixedOf, overlayAddressRequired, type EndpointEntry } from './endpoint-settings.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { dirEntries } from '../base/fs-probe.js';

const log = componentLogger('network');

export interface AttachmentsContext {
  store: NetworkStore;
  cni: CniDriver;
  host: HostNet;
  /** `network/` under the state root. */
  dir: string;
  /** Brings a network's host side up (bridge, rules, DNS); idempotent. */
  prepare(network: NetworkRecord): Promise<void>;
  /** A container's namespace `netns` was attached to `network`, its endpoint recorded (an overlay's balancer table goes in). */
  attached?(network: NetworkRecord, netns: string): Promise<void>;
  /** A running container's namespace was disconnected from `network` (an overlay's balancer table goes). */
  detached?(network: NetworkRecord, netns: string): Promise<void>;
}

export interface NetworkChoice {
  network: NetworkRecord;
  aliases: string[];
  /** A requested address / MAC on this network (checked by `checkStaticAddress` / `checkMacAddress`). */
  fixed?: StaticEndpoint;
  /** Link-local addresses added to the interface after the ADD (checked by `checkLinkLocalIps`). */
  linkLocalIPs?: string[];
  /** `container:alias` links, for the DNS answers to this container. */
  links?: string[];
}

/**
 * The attachment of a container's config entry: its aliases, static settings (the MAC: the
 * endpoint's, else `configMac`), link-local addresses and links.
 */
export function networkChoice(network: NetworkRecord, entry: EndpointEntry, configMac?: string): NetworkChoice {
  const fixed = fixedOf(entry, configMac);
  return {
    network, aliases: entry.aliases, ...(fixed === undefined ? {} : { fixed }),
    ...(entry.linkLocalIPs === undefined ? {} : { linkLocalIPs: entry.linkLocalIPs }), ...(entry.links === undefined ? {} : { links: entry.links }),
  };
}

export interface AttachRequest {
  containerId: string;
  containerName: string;
  networks: NetworkChoice[];
  ports: PortBinding[];
}

async function freePort(hostIp: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, hostIp === '' ? '0.0.0.0' : hostIp, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => { resolve(port); });
    });
  });
}

/** The interface's addresses (IPv4, and IPv6 when the network has it) and MAC in an ADD result. */
export function endpointOf(result: CniResult, ifname: string): { ip: string; prefixLen: number; mac: string; ip6?: string; prefixLen6?: number } {
  const index = result.interfaces?.findIndex((i) => i.name === ifname && i.sandbox !== undefined && i.sandbox !== '') ?? -1;
  const mine = (result.ips ?? []).filter((i) => i.interface === undefined || i.interface === index);
  const v4 = mine.find((i) => !i.address.includes(':'));
  const v6 = mine.find((i) => i.address.includes(':'));
  const [address = '', prefix = '0'] = (v4?.address ?? '').split('/');
  const [address6, prefix6 = '0'] = (v6?.address ?? '').split('/');
  return {
    ip: address, prefixLen: Number(prefix), mac: index >= 0 ? result.interfaces?.[index]?.mac ?? '' : '',
    ...(address6 === undefined || address6 === '' ? {} : { ip6: address6, prefixLen6: Number(prefix6) }),
  };
}

/** What happens between containers and networks: `connect` (an endpoint made), `disconnect` (one removed). */
export type AttachmentAction = 'connect' | 'disconnect';

export class ContainerAttachments {
  /** `id` is the network id; attributes name the container and the network. */
  readonly events = new Notifier<AttachmentAction>();

  #isolationChecked: Promise<void> | undefined;
  #isolation6Checked: Promise<void> | undefined;

  constructor(private readonly ctx: AttachmentsContext) {}

  get ipamDir(): string { return join(this.ctx.dir, 'ipam'); }
  get netnsDir(): string { return join(this.ctx.dir, 'netns'); }
  netnsPath(containerId: string): string { return join(this.netnsDir, containerId); }

  /** Creates the namespace and attaches every network; on failure everything is undone. Returns the namespace path. */
  async attach(request: AttachRequest): Promise<string> {
    const netns = this.netnsPath(request.containerId);
    try {
      // The namespace comes with its loopback up (what the CNI loopback plugin would do, in the same process).
      await this.ctx.host.createNetns(netns);
      // Each network's interface at once: its own ifname, lease directory and rules.
      const routed = request.networks.findIndex((choice) => !choice.network.internal);
      const gateway = routed < 0 ? 0 : routed;
      const steps = await Promise.allSettled(request.networks.map((choice, index) =>
        this.#connect(request.containerId, request.containerName, choice, `eth${index}`, index === gateway ? request.ports : [], index === gateway)));
      const failed = steps.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    } catch (err) {
      // The attach's error is the one thrown; what the undo leaves is logged (the next sweep retries).
      await this.detachAll(request.containerId).catch(warnOnFailure(log, 'undoing a failed network attach', { container: request.containerId }));
      throw err;
    }
    return netns;
  }

  async #connect(containerId: string, containerName: string, choice: NetworkChoice, ifname: string, ports: readonly PortBinding[], gateway: boolean): Promise<EndpointRecord> {
    const { network } = choice;
    if (network.driver === 'overlay' && choice.fixed?.ipv4Address === undefined) throw overlayAddressRequired(network, 'IPAMConfig.IPv4Address');
    const holder = choice.fixed === undefined ? undefined : addressInUse(this.ctx.store.endpointsOfNetwork(network.id), containerId, choice.fixed);
    if (holder !== undefined) {
      const what = holder.ip === choice.fixed?.ipv4Address ? `address ${holder.ip}`
        : holder.ip6 !== undefined && holder.ip6 === choice.fixed?.ipv6Address ? `address ${holder.ip6}` : `MAC address ${holder.mac}`;
      throw errors.conflict('address-in-use', `${what} is already in use on network ${network.name} (by container ${holder.containerName})`);
    }
    await this.ctx.prepare(network);
    const resolved: PortBinding[] = [];
    const defaultHostIp = bridgeOptions(network.options).hostBinding;
    for (const p of network.internal ? [] : ports) {
      const hostIp = p.hostIp === '' ? defaultHostIp : p.hostIp;
      resolved.push({ ...p, hostIp, hostPort: p.hostPort === 0 ? await freePort(hostIp) : p.hostPort });
    }
    const meshed = resolved.find((p) => this.ctx.store.list().some((n) => n.overlay?.Ingress?.Ports.some((m) => m.Port === p.hostPort && m.Protocol === p.protocol)));
    if (meshed !== undefined) {
      throw errors.conflict('port-in-use', `Bind for ${meshed.hostIp === '' ? '0.0.0.0' : meshed.hostIp}:${String(meshed.hostPort)} failed: port ${String(meshed.hostPort)}/${meshed.protocol} is published by the cluster's routing mesh on this node`);
    }
    const conf = attachmentConfList({ network, ipamDataDir: this.ipamDir, primary: gateway, ports: resolved, ...(choice.fixed === undefined ? {} : { fixed: choice.fixed }) });
    const netns = this.netnsPath(containerId);
    const result = await this.ctx.cni.add(conf, { containerId, netns, ifname });
    // As Docker: link-local addresses beside the interface's own (the namespace goes with them).
    for (const ip of choice.linkLocalIPs ?? []) await this.ctx.host.addAddress(netns, ifname, `${ip}/${ip.includes(':') ? 64 : 16}`);
    // The firewall plugin's first ADD on the host puts its jump at the top of FORWARD: berth's must
    // stay first. Once per process is enough (the plugin adds its jump only when it is missing).
    this.#isolationChecked ??= this.ctx.host.ensureIsolationChain().catch((err: unknown) => { this.#isolationChecked = undefined; throw err; });
    await this.#isolationChecked;
    if (hasIpv6(network)) {
      this.#isolation6Checked ??= this.ctx.host.rules.ensureChains('ip6tables').catch((err: unknown) => { this.#isolation6Checked = undefined; throw err; });
      await this.#isolation6Checked;
    }
    const endpoint: EndpointRecord = {
      networkId: network.id, containerId, containerName, aliases: choice.aliases, ifname, ...endpointOf(result, ifname), ports: resolved, links: choice.links ?? [],
    };
    this.ctx.store.insertEndpoint(endpoint);
    await this.ctx.attached?.(network, netns);
    this.events.notify('connect', network.id, { container: containerId, name: network.name, type: 'bridge' });
    return endpoint;
  }

  /** Connects a running container (its namespace exists) to one more network. */
  async connect(containerId: string, containerName: string, choice: NetworkChoice): Promise<EndpointRecord> {
    const used = new Set(this.ctx.store.endpointsOfContainer(containerId).map((e) => e.ifname));
    let n = 0;
    while (used.has(`eth${n}`)) n++;
    return this.#connect(containerId, containerName, choice, `eth${n}`, [], false);
  }

  async disconnect(containerId: string, network: NetworkRecord): Promise<void> {
    const endpoint = this.ctx.store.endpointsOfContainer(containerId).find((e) => e.networkId === network.id);
    if (endpoint === undefined) return;
    await this.ctx.cni.del(cniNetworkName(network), { containerId, ifname: endpoint.ifname });
    this.ctx.store.deleteEndpoint(network.id, containerId);
    await this.ctx.detached?.(network, this.netnsPath(containerId));
    this.events.notify('disconnect', network.id, { container: containerId, name: network.name, type: 'bridge' });
  }

  /** DEL of every cached attachment, the endpoint rows, then the namespace. Idempotent. */
  async detachAll(containerId: string): Promise<void> {
    const failures: unknown[] = [];
    for (const cached of await this.ctx.cni.cachedFor(containerId)) {
      await this.ctx.cni.del(cached.network, { containerId, ifname: cached.ifname }).catch((err: unknown) => { failures.push(err); });
    }
    for (const e of this.ctx.store.endpointsOfContainer(containerId)) {
      this.ctx.store.deleteEndpoint(e.networkId, containerId);
      const name = this.ctx.store.find(e.networkId)?.name ?? '';
      this.events.notify('disconnect', e.networkId, { container: containerId, name, type: 'bridge' });
    }
    await this.ctx.host.removeNetns(this.netnsPath(containerId));
    if (failures.length > 0) throw failures[0] instanceof Error ? failures[0] : new Error(String(failures[0]));
  }

  /**
   * Detaches the container from every network but those in `networkIds`: what a connect cut short
   * by a crash attached and never recorded in the container's config. Its namespace stays.
   */
  async detachOthers(containerId: string, networkIds: ReadonlySet<string>): Promise<void> {
    const kept = new Set([...networkIds].flatMap((id) => {
      const network = this.ctx.store.find(id);
      return network === undefined ? [] : [cniNetworkName(network)];
    }));
    for (const cached of await this.ctx.cni.cachedFor(containerId)) {
      if (!kept.has(cached.network)) await this.ctx.cni.del(cached.network, { containerId, ifname: cached.ifname });
    }
    for (const e of this.ctx.store.endpointsOfContainer(containerId)) {
      if (networkIds.has(e.networkId)) continue;
      this.ctx.store.deleteEndpoint(e.networkId, containerId);
      this.events.notify('disconnect', e.networkId, { container: containerId, name: this.ctx.store.find(e.networkId)?.name ?? '', type: 'bridge' });
    }
  }

  /** Detaches every container that is attached (namespace, cache or endpoint) but not in `keep`. */
  async sweep(keep: ReadonlySet<string>): Promise<void> {
    const ids = new Set<string>([
      ...(await dirEntries(this.netnsDir, log)), // none yet: no namespaces
      ...(await this.ctx.cni.cachedContainers()),
      ...this.ctx.store.allEndpoints().map((e) => e.containerId),
    ]);
    for (const id of ids) {
      // One container's failure does not stop the sweep; the next start tries again.
      if (!keep.has(id)) await this.detachAll(id).catch(warnOnFailure(log, 'detaching a container that is not running', { container: id }));
    }
  }
}
