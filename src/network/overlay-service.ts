/**
 * The node's share of cluster overlay networks, declaratively: `put` makes the node match the
 * whole desired state of one overlay (a network record with the cluster's id and driver
 * `overlay`, its bridge holding the gateway on every node, a VXLAN device flooding to the peers,
 * the ARP guard, the names its DNS answers and the balancer and policy tables in each attached
 * container's namespace; on the ingress network the routing mesh's table instead of the ARP
 * guard), applying only what differs from the state applied before. Puts and removes are
 * serialized. NetworkService brings the host side up and down (`syncHost`, `removeHost`).
 */
import { errors } from '../base/errors.js';
import { isMountPoint } from '../mount/mount-table.js';
import type { Notifier } from '../base/notifier.js';
import type { OverlayName, OverlayState } from '../wire/overlays.js';
import type { OverlayHost } from './overlay-host.js';
import { checkMeshPorts, checkOverlaySubnet, isNoChange, normalizeOverlay, overlayDevices, overlayDiff, overlayMtu } from './overlay-plan.js';
import { bridgeOptions } from './network-options.js';
import type { NetworkRecord, NetworkStore } from './network-store.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';

const log = componentLogger('network');

export interface OverlayContext {
  store: NetworkStore;
  host: OverlayHost;
  /** The network namespace file of a container. */
  netnsPath(containerId: string): string;
  /** Whether this process has the network's host side up. */
  isUp(networkId: string): boolean;
  /** Brings the network's host side up (bridge, rules, DNS, then `syncHost`). */
  bringUp(network: NetworkRecord): Promise<void>;
  /** Takes the network's host side down (`removeHost` included) and its leases. */
  tearDown(network: NetworkRecord): Promise<void>;
  events: Notifier<'create' | 'destroy'>;
  now(): Date;
}

export class OverlayService {
  /** The names each overlay network's DNS answers (by network id), for the DNS server. */
  readonly names = new Map<string, readonly OverlayName[]>();
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly ctx: OverlayContext) {}

  /** Loads the names of the recorded overlays (at open). */
  load(): void {
    for (const n of this.ctx.store.list()) if (n.overlay !== undefined) this.names.set(n.id, n.overlay.Names);
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined); // the queue only orders calls: `next` carries the failure to its caller
    return next;
  }

  list(): OverlayState[] {
    return this.ctx.store.list().flatMap((n) => (n.driver === 'overlay' && n.overlay !== undefined ? [n.overlay] : []));
  }

  /** Throws not-found (`no-such-overlay`). */
  get(id: string): OverlayState {
    return this.#find(id).overlay;
  }

  #find(id: string): NetworkRecord & { overlay: OverlayState } {
    const network = this.ctx.store.find(id);
    if (network?.driver !== 'overlay' || network.overlay === undefined) throw errors.notFound('no-such-overlay', `overlay network ${id} not found on this node`);
    return { ...network, overlay: network.overlay };
  }

  /**
   * Makes the node match `state`; returns the state applied. Throws invalid-argument for bad
   * options, conflict (`network-name-taken`, `network-not-overlay`), failed-precondition
   * (`overlay-in-use`) when a fixed field changes while containers are attached.
   */
  put(state: OverlayState): Promise<OverlayState> {
    return this.#serial(() => this.#put(normalizeOverlay(state)));
  }

  async #put(desired: OverlayState): Promise<OverlayState> {
    bridgeOptions(desired.Options);
    checkOverlaySubnet(desired, this.ctx.store.list());
    checkMeshPorts(desired, this.ctx.store.allEndpoints());
    const existing = this.ctx.store.find(desired.Id);
    if (existing !== undefined && existing.driver !== 'overlay') {
      throw errors.conflict('network-not-overlay', `Id: network ${existing.name} (${existing.id}) exists on this node and is not an overlay network`);
    }
    const named = this.ctx.store.findByName(desired.Name);
    if (named !== undefined && named.id !== desired.Id) throw errors.conflict('network-name-taken', `Name: network with name ${desired.Name} already exists`);
    if (existing === undefined) return this.#create(desired);
    const diff = overlayDiff(existing.overlay, desired);
    if (diff.fixed.length > 0) {
      const attached = this.ctx.store.endpointsOfNetwork(existing.id).map((e) => e.containerName);
      if (attached.length > 0) {
        throw errors.failedPrecondition('overlay-in-use', `${diff.fixed.join(', ')}: cannot change on overlay network ${existing.name} while containers are attached (${attached.join(', ')})`);
      }
      this.ctx.store.delete(existing.id);
      await this.ctx.tearDown(existing);
      this.names.delete(existing.id);
      return this.#create(desired);
    }
    const updated: NetworkRecord = { ...existing, name: desired.Name, labels: desired.Labels, options: desired.Options, attachable: desired.Attachable, overlay: desired };
    if (!isNoChange(diff)) this.ctx.store.updateOverlay(updated);
    this.names.set(updated.id, desired.Names);
    if (!this.ctx.isUp(updated.id)) await this.ctx.bringUp(updated);
    else await this.syncHost(updated, diff.balancersChanged || diff.policiesChanged);
    return desired;
  }

  async #create(state: OverlayState): Promise<OverlayState> {
    const { bridge } = overlayDevices(state.Id);
    const record: NetworkRecord = {
      id: state.Id, name: state.Name, driver: 'overlay', bridge, subnet: state.Subnet, gateway: state.Gateway, internal: state.Internal,
      userSubnet: true, options: state.Options, labels: state.Labels, createdAt: this.ctx.now().toISOString(), enableIPv6: false,
      attachable: state.Attachable, ipam: { options: null, config: [{ subnet: state.Subnet, gateway: state.Gateway }], reserved: [] }, overlay: state,
    };
    this.ctx.store.insert(record);
    this.names.set(record.id, state.Names);
    try {
      await this.ctx.bringUp(record);
    } catch (err) {
      // The bring-up's error is the one thrown; what the undo leaves is logged (the next start removes stale devices).
      await this.ctx.tearDown(record).catch(warnOnFailure(log, 'taking down an overlay network that failed to come up', { network: record.id, name: record.name }));
      this.ctx.store.delete(record.id);
      this.names.delete(record.id);
      throw err;
    }
    this.ctx.events.notify('create', record.id, { name: record.name, type: 'overlay' });
    return state;
  }

  /** Throws not-found (`no-such-overlay`), conflict (`network-in-use`, naming the containers) while containers are attached. */
  remove(id: string): Promise<void> {
    return this.#serial(async () => {
      const network = this.#find(id);
      const attached = this.ctx.store.endpointsOfNetwork(network.id).map((e) => e.containerName);
      if (attached.length > 0) {
        throw errors.conflict('network-in-use', `error while removing network: network ${network.name} id ${network.id} has active endpoints (${attached.join(', ')})`);
      }
      this.ctx.store.delete(network.id);
      await this.ctx.tearDown(network);
      this.ctx.events.notify('destroy', network.id, { name: network.name, type: 'overlay' });
    });
  }

  /**
   * The overlay's host side beyond the bridge: VXLAN device, flood entries, ARP guard (the mesh's
   * table on the ingress network), and with `namespaces` the balancer and policy tables in the
   * namespace of each attached container. Idempotent.
   */
  async syncHost(network: NetworkRecord, namespaces: boolean): Promise<void> {
    const state = network.overlay;
    if (state === undefined) return;
    await this.ctx.host.ensureVxlan(state, overlayMtu(bridgeOptions(state.Options).mtu));
    await this.ctx.host.syncPeers(state.Id, state.Peers);
    if (state.Ingress === undefined) await this.ctx.host.ensureArpGuard(state.Id, state.Gateway);
    else await this.ctx.host.writeMesh(state.Id, state.Ingress.Ports);
    if (!namespaces) return;
    for (const e of this.ctx.store.endpointsOfNetwork(network.id)) {
      const netns = this.ctx.netnsPath(e.containerId);
      // A run that ended while berthd was down has no namespace any more (its endpoint is swept later).
      if (await isMountPoint(netns)) await this.#writeNamespace(netns, state, e);
    }
  }

  /** The balancer and policy tables of one attached container. */
  async #writeNamespace(netns: string, state: OverlayState, endpoint: { ifname: string; ip: string }): Promise<void> {
    await this.ctx.host.writeBalancers(netns, state.Id, state.Balancers);
    await this.ctx.host.writePolicies(netns, state.Id, endpoint.ifname, endpoint.ip, state.Policies ?? []);
  }

  /** The connections each network policy denied on this node, summed over its containers (for metrics and people). */
  async deniedCounts(): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    for (const network of this.ctx.store.list()) {
      const policies = network.overlay?.Policies ?? [];
      if (policies.length === 0) continue;
      for (const e of this.ctx.store.endpointsOfNetwork(network.id)) {
        if (!policies.some((p) => p.Targets.includes(e.ip))) continue;
        const netns = this.ctx.netnsPath(e.containerId);
        if (!(await isMountPoint(netns))) continue;
        for (const [name, count] of await this.ctx.host.deniedCounts(netns, network.id)) totals.set(name, (totals.get(name) ?? 0) + count);
      }
    }
    return totals;
  }

  /**
   * A container's namespace joined the overlay (its endpoint recorded): the balancer table of the
   * current state. Serialized with puts, so a put either comes first (and this writes its state)
   * or after (and rewrites this namespace with the others).
   */
  attached(networkId: string, netns: string): Promise<void> {
    return this.#serial(async () => {
      const state = this.ctx.store.find(networkId)?.overlay;
      const endpoint = this.ctx.store.endpointsOfNetwork(networkId).find((e) => this.ctx.netnsPath(e.containerId) === netns);
      // Without balancers or policies the scripts only remove tables an earlier state left.
      if (state !== undefined) await this.#writeNamespace(netns, state, endpoint ?? { ifname: '', ip: '' });
    });
  }

  /** A container's namespace left the overlay (`network disconnect`): its balancer and policy tables go. */
  async detached(networkId: string, netns: string): Promise<void> {
    if (!(await isMountPoint(netns))) return;
    await this.ctx.host.writeBalancers(netns, networkId, []);
    await this.ctx.host.writePolicies(netns, networkId, '', '', []);
  }

  /** The overlay's host side beyond the bridge, removed (ARP guard before the device, as `removeStale` expects). */
  async removeHost(network: NetworkRecord): Promise<void> {
    await this.ctx.host.removeArpGuard(network.id);
    if (network.overlay?.Ingress !== undefined) await this.ctx.host.writeMesh(network.id, []);
    await this.ctx.host.removeVxlan(network.id);
  }

  /** Forgets a removed network's names. */
  forget(id: string): void {
    this.names.delete(id);
  }
}
