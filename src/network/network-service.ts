/**
 * The node's bridge networks: records (SQLite), their bridges, isolation rules and DNS listeners,
 * and the attachment of containers to them (`ContainerAttachments`). Opening the service brings
 * every recorded network's host side back (bridge, rules, DNS), so containers that kept running
 * while berthd was down keep working. Network operations are serialized by the caller's use of
 * the database (synchronous) and are idempotent on the host side. `releaseIdle` takes down the
 * host side of networks without containers when the daemon stops.
 */
import { Notifier } from '../base/notifier.js';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errors } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { Database } from '../store/database.js';
import { ContainerAttachments } from './container-attachments.js';
import { CniDriver } from './cni-driver.js';
import { cniNetworkName } from './cni-config.js';
import { DnsServer } from './dns-server.js';
import { BRIDGE_PREFIX, HostNet } from './host-net.js';
import { planIpam, type IpamRequest } from './ipam-plan.js';
import { bridgeOptions } from './network-options.js';
import { hasIpv6, NetworkStore, type NetworkRecord } from './network-store.js';
import { chooseSubnet, routeDestinations } from './subnet-choice.js';
import { OverlayHost } from './overlay-host.js';
import { OverlayService } from './overlay-service.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { readTextOr } from '../base/fs-probe.js';

const log = componentLogger('network');

/** Docker's name of the default network. */
export const DEFAULT_NETWORK = 'bridge';
export const DEFAULT_CNI_PLUGIN_DIR = '/usr/lib/cni';

export interface NetworkServiceOptions {
  db: Database;
  /** The state root; networking keeps `network/` under it. */
  root: string;
  runner: ProcessRunner;
  pluginDir?: string;
  now?: () => Date;
}

export interface CreateNetworkRequest {
  name: string;
  internal?: boolean;
  subnet?: string;
  gateway?: string;
  /** `--ip-range`: a block inside `subnet` (which must then be given) for dynamic addresses. */
  ipRange?: string;
  /** Docker's IPAM (driver, options, one pool per family); when given, `subnet`, `gateway` and `ipRange` are not read. */
  ipam?: IpamRequest;
  /** EnableIPv6: needs an IPv6 pool in `ipam`. */
  enableIPv6?: boolean;
  attachable?: boolean;
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

export class NetworkService {
  readonly store: NetworkStore;
  readonly attachments: ContainerAttachments;
  readonly host: HostNet;
  /** The node's share of cluster overlay networks (`PUT /berth/v1/overlays/{id}`). */
  readonly overlays: OverlayService;
  readonly #dns: DnsServer;
  readonly #runner: ProcessRunner;
  readonly #now: () => Date;
  #creatingDefault: Promise<NetworkRecord> | undefined;
  readonly #root: string;
  /** Networks whose host side this process has brought up (attach skips them). */
  readonly #up = new Set<string>();

  /** A network made or removed (`id` the network id; attributes its name and driver). */
  readonly events = new Notifier<'create' | 'destroy'>();

  private constructor(options: NetworkServiceOptions) {
    this.store = new NetworkStore(options.db);
    this.#runner = options.runner;
    this.#root = options.root;
    this.#now = options.now ?? (() => new Date());
    this.host = new HostNet(options.runner);
    const dir = join(options.root, 'network');
    const cni = new CniDriver(options.runner, options.pluginDir ?? DEFAULT_CNI_PLUGIN_DIR, join(dir, 'cni-cache'));
    this.#dns = new DnsServer(this.store, () => this.overlays.names);
    this.attachments = new ContainerAttachments({
      store: this.store, cni, host: this.host, dir, prepare: (n) => (this.#up.has(n.id) ? Promise.resolve() : this.#bringUp(n)),
      attached: (n, netns) => (n.driver === 'overlay' ? this.overlays.attached(n.id, netns) : Promise.resolve()),
      detached: (n, netns) => (n.driver === 'overlay' ? this.overlays.detached(n.id, netns) : Promise.resolve()),
    });
    this.overlays = new OverlayService({
      store: this.store, host: new OverlayHost(options.runner, options.root), netnsPath: (id) => this.attachments.netnsPath(id),
      isUp: (id) => this.#up.has(id), bringUp: (n) => this.#bringUp(n), tearDown: (n) => this.#tearDown(n), events: this.events, now: this.#now,
    });
  }

  static async open(options: NetworkServiceOptions): Promise<NetworkService> {
    const service = new NetworkService(options);
    service.#dns.setUpstreams(await readTextOr('/etc/resolv.conf', '', log)); // none: queries for other names go unanswered
    await service.host.removeStaleBridges();
    await new OverlayHost(options.runner, options.root).removeStale();
    service.overlays.load();
    for (const network of service.store.list()) await service.#bringUp(network);
    return service;
  }

  /** Stops the DNS listeners. Bridges, rules and attached containers stay. */
  close(): void {
    this.#dns.close();
  }

  /**
   * Takes down the host side (bridge, isolation, forward and masquerade rules) of every network no
   * container is attached to, keeping the records: a stopped berthd leaves on the host only what
   * its running containers need, so removing a stopped node's state root leaves nothing behind.
   * `open` brings them back. Call after `close`, when nothing attaches any more.
   */
  async releaseIdle(): Promise<void> {
    for (const network of this.store.list()) {
      if (this.store.endpointsOfNetwork(network.id).length > 0) continue;
      this.#up.delete(network.id);
      if (network.driver === 'overlay') await this.overlays.removeHost(network);
      await this.host.removeIsolation(network);
      await this.host.removeBridge(network);
    }
  }

  list(): NetworkRecord[] {
    return this.store.list();
  }

  /** Throws not-found (`no-such-network`). */
  resolve(ref: string): NetworkRecord {
    return this.store.resolve(ref);
  }

  /** The default `bridge` network, created on first use (concurrent first uses share one creation). */
  async ensureDefault(): Promise<NetworkRecord> {
    const existing = this.store.findByName(DEFAULT_NETWORK);
    if (existing !== undefined) return existing;
    this.#creatingDefault ??= this.create({ name: DEFAULT_NETWORK }).finally(() => { this.#creatingDefault = undefined; });
    return this.#creatingDefault;
  }

  /**
   * Throws invalid-argument (`invalid-network-name`: only blank names, as Docker), conflict
   * (`network-name-taken`), invalid-argument for bad options or IPAM (see `planIpam`), not-found
   * for another IPAM driver or EnableIPv6 without an IPv6 subnet (berth, like dockerd 20.10, has no
   * default IPv6 pools), resource-exhausted when no IPv4 subnet is free.
   */
  async create(request: CreateNetworkRequest): Promise<NetworkRecord> {
    // Docker's rule: every name that is not blank. The host side never uses it (bridge `bn-<id12>`).
    if (request.name.trim() === '') throw errors.invalidArgument('invalid-network-name', `invalid name: ${request.name}`);
    if (this.store.findByName(request.name) !== undefined) throw errors.conflict('network-name-taken', `network with name ${request.name} already exists`);
    bridgeOptions(request.options ?? {});
    const legacyPool = [request.subnet, request.gateway, request.ipRange].some((v) => v !== undefined && v !== '')
      ? [{ subnet: request.subnet ?? '', gateway: request.gateway ?? '', ipRange: request.ipRange ?? '' }] : [];
    const pools = request.ipam?.config ?? legacyPool;
    const routes = pools.some((p) => p.subnet !== undefined && p.subnet !== '' && !p.subnet.includes(':')) ? [] : await this.#hostRoutes();
    // No await from reading the other networks to inserting the record that claims its subnets.
    const others = this.store.list();
    // As dockerd: an IPv6 pool is taken only on a network with IPv6 enabled (otherwise it is only kept).
    const taken6 = request.enableIPv6 === true ? others.flatMap((n) => (hasIpv6(n) && n.ipv6 !== undefined ? [n.ipv6.subnet] : [])) : [];
    const plan = planIpam({ ...request.ipam, config: pools }, others.map((n) => n.subnet), taken6);
    if (request.enableIPv6 === true && plan.v6 === undefined) {
      throw errors.notFound('no-ipv6-pool', 'could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network');
    }
    const v4 = plan.v4 ?? { ...chooseSubnet([...routes, ...others.map((n) => n.subnet)]), reserved: [] };
    const id = randomBytes(32).toString('hex');
    const record: NetworkRecord = {
      id, name: request.name, driver: 'bridge', bridge: `${BRIDGE_PREFIX}${id.slice(0, 12)}`, subnet: v4.subnet, gateway: v4.gateway,
      internal: request.internal ?? false, userSubnet: plan.v4 !== undefined, ...(plan.v4?.ipRange === undefined ? {} : { ipRange: plan.v4.ipRange }),
      options: request.options ?? {}, labels: request.labels ?? {}, createdAt: this.#now().toISOString(),
      enableIPv6: request.enableIPv6 ?? false, attachable: request.attachable ?? false, ...(plan.v6 === undefined ? {} : { ipv6: plan.v6 }),
      ipam: {
        options: plan.options, reserved: v4.reserved,
        config: [plan.shown.v4 ?? { subnet: v4.subnet, gateway: v4.gateway }, ...(plan.shown.v6 === undefined ? [] : [plan.shown.v6])],
      },
    };
    this.store.insert(record);
    try {
      await this.#bringUp(record);
    } catch (err) {
      // The bring-up's error is the one thrown; what the undo leaves is logged (the next start removes stale bridges).
      await this.#tearDown(record).catch(warnOnFailure(log, 'taking down a network that failed to come up', { network: record.id, name: record.name }));
      this.store.delete(record.id);
      throw err;
    }
    this.events.notify('create', record.id, { name: record.name, type: 'bridge' });
    return record;
  }

  async #hostRoutes(): Promise<string[]> {
    // Where every table cannot be listed, the main table's routes do (a failure of that one throws).
    const v4 = await this.#runner.run('ip', ['-j', 'route', 'show', 'table', 'all']).catch((err: unknown) => {
      log.debug('listing the routes of every table failed; reading the main table', { err });
      return this.#runner.run('ip', ['-j', 'route']);
    });
    return routeDestinations(v4.stdout);
  }

  async #bringUp(network: NetworkRecord): Promise<void> {
    await this.host.ensureBridge(network, this.#root);
    await this.host.addIsolation(network);
    await this.#dns.listen(network.gateway);
    if (network.driver === 'overlay') await this.overlays.syncHost(network, true);
    this.#up.add(network.id);
  }

  async #tearDown(network: NetworkRecord): Promise<void> {
    this.#up.delete(network.id);
    this.#dns.unlisten(network.gateway);
    if (network.driver === 'overlay') {
      await this.overlays.removeHost(network);
      this.overlays.forget(network.id);
    }
    await this.host.removeIsolation(network);
    await this.host.removeBridge(network);
    await rm(join(this.attachments.ipamDir, cniNetworkName(network)), { recursive: true, force: true });
  }

  /** Throws not-found, conflict (`network-in-use`) while containers are attached. */
  async remove(ref: string): Promise<void> {
    const network = this.store.resolve(ref);
    if (this.store.endpointsOfNetwork(network.id).length > 0) {
      throw errors.conflict('network-in-use', `error while removing network: network ${network.name} id ${network.id} has active endpoints`);
    }
    this.store.delete(network.id);
    await this.#tearDown(network);
    this.events.notify('destroy', network.id, { name: network.name, type: network.driver });
  }

  /** Removes every network without attached containers (the default one and the cluster's overlays stay); returns their names. */
  async prune(): Promise<string[]> {
    const removed: string[] = [];
    for (const network of this.store.list()) {
      if (network.name === DEFAULT_NETWORK || network.driver === 'overlay' || this.store.endpointsOfNetwork(network.id).length > 0) continue;
      await this.remove(network.id);
      removed.push(network.name);
    }
    return removed;
  }
}
