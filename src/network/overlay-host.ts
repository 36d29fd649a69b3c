/**
 * The host side of overlay networks, with `ip`, `bridge` and `nft`: the VXLAN device `vx-<id12>`
 * (learning on, UDP 4789, alias `berth:<state root>` like berth's bridges) enslaved to the
 * network's bridge, one all-zeros FDB entry per peer (broadcast and unknown unicast are flooded to
 * every peer; replies teach the device where each MAC lives), the ARP guard chains, and the
 * balancer and policy tables inside containers' namespaces, and the routing mesh's table (mesh-rules.ts). Every operation is idempotent and compares with
 * what the kernel has, so applying the same state twice changes nothing.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProcessRunner } from '../base/process-runner.js';
import type { OverlayBalancer, OverlayPolicy, OverlayPort, OverlayState } from '../wire/overlays.js';
import { parseDenied, policyScript, policyTable } from './policy-rules.js';
import { meshScript, meshTable } from './mesh-rules.js';
import { overlayDevices, VXLAN_PORT, VXLAN_PREFIX } from './overlay-plan.js';
import { ARP_GUARD_TABLE, arpGuardChains, arpGuardRemoveScript, arpGuardScript, balancerScript } from './overlay-rules.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { pathExists } from '../base/fs-probe.js';

const log = componentLogger('network');

const ZERO_MAC = '00:00:00:00:00:00';

interface VxlanLink {
  ifname?: string;
  ifalias?: string;
  mtu?: number;
  master?: string;
  operstate?: string;
  flags?: string[];
  linkinfo?: { info_kind?: string; info_data?: { id?: number; local?: string; port?: number } };
}

export class OverlayHost {
  constructor(private readonly runner: ProcessRunner, private readonly stateRoot: string) {}

  async #links(args: string[]): Promise<VxlanLink[]> {
    // `ip link show dev X` fails when there is no X: the expected answer "none", so debug only.
    const listed = await this.runner.run('ip', ['-j', '-d', 'link', 'show', ...args]).catch((err: unknown) => {
      log.debug('listing links failed; taken as none', { err, args: args.join(' ') });
      return { stdout: '[]' };
    });
    return JSON.parse(listed.stdout.trim() === '' ? '[]' : listed.stdout) as VxlanLink[];
  }

  /**
   * The VXLAN device of the overlay, with its VNI and local address (made anew when the kernel's
   * differ), `mtu`, on the bridge, up.
   */
  async ensureVxlan(state: OverlayState, mtu: number): Promise<void> {
    const { bridge, vxlan } = overlayDevices(state.Id);
    let link = (await this.#links(['dev', vxlan]))[0];
    const data = link?.linkinfo?.info_data;
    if (link !== undefined && (link.linkinfo?.info_kind !== 'vxlan' || data?.id !== state.Vni || data.local !== state.LocalAddress || data.port !== VXLAN_PORT)) {
      await this.runner.run('ip', ['link', 'del', vxlan]);
      link = undefined;
    }
    if (link === undefined) {
      await this.runner.run('ip', ['link', 'add', vxlan, 'type', 'vxlan', 'id', String(state.Vni), 'local', state.LocalAddress,
        'dstport', String(VXLAN_PORT), 'learning']);
      await this.runner.run('ip', ['link', 'set', 'dev', vxlan, 'alias', `berth:${this.stateRoot}`]);
    }
    if (link?.mtu !== mtu) await this.runner.run('ip', ['link', 'set', 'dev', vxlan, 'mtu', String(mtu)]);
    if (link?.master !== bridge) await this.runner.run('ip', ['link', 'set', 'dev', vxlan, 'master', bridge]);
    if (link?.flags?.includes('UP') !== true) await this.runner.run('ip', ['link', 'set', 'dev', vxlan, 'up']);
  }

  /** The peers the device floods to now (its all-zeros FDB entries). */
  async floodPeers(id: string): Promise<string[]> {
    const { vxlan } = overlayDevices(id);
    // Fails when the device is not there (yet): no peers.
    const listed = await this.runner.run('bridge', ['-j', 'fdb', 'show', 'dev', vxlan]).catch((err: unknown) => {
      log.debug('listing flood entries failed; taken as none', { err, device: vxlan });
      return { stdout: '[]' };
    });
    const entries = JSON.parse(listed.stdout.trim() === '' ? '[]' : listed.stdout) as { mac?: string; dst?: string }[];
    return entries.filter((e) => e.mac === ZERO_MAC && e.dst !== undefined).map((e) => e.dst ?? '');
  }

  /** Flood entries for exactly `peers`: missing ones appended, others deleted. */
  async syncPeers(id: string, peers: readonly string[]): Promise<void> {
    const { vxlan } = overlayDevices(id);
    const present = await this.floodPeers(id);
    for (const peer of peers) {
      if (!present.includes(peer)) await this.runner.run('bridge', ['fdb', 'append', ZERO_MAC, 'dev', vxlan, 'dst', peer]);
    }
    for (const peer of present) {
      if (!peers.includes(peer)) await this.runner.run('bridge', ['fdb', 'del', ZERO_MAC, 'dev', vxlan, 'dst', peer]);
    }
  }

  async removeVxlan(id: string): Promise<void> {
    const { vxlan } = overlayDevices(id);
    if ((await this.#links(['dev', vxlan])).length > 0) await this.runner.run('ip', ['link', 'del', vxlan]);
  }

  async #guardChains(): Promise<string[] | undefined> {
    // Fails when the table is not there: no chains (undefined, as callers tell it from an empty table).
    const listed = await this.runner.run('nft', ['-j', 'list', 'table', 'bridge', ARP_GUARD_TABLE]).catch((err: unknown) => {
      log.debug('listing the ARP guard table failed; taken as absent', { err });
      return undefined;
    });
    if (listed === undefined) return undefined;
    const parsed = JSON.parse(listed.stdout) as { nftables?: { chain?: { name?: string } }[] };
    return (parsed.nftables ?? []).flatMap((o) => (o.chain?.name === undefined ? [] : [o.chain.name]));
  }

  /** The overlay's ARP guard chains (written when one is missing; the gateway never changes in place). */
  async ensureArpGuard(id: string, gateway: string): Promise<void> {
    const chains = await this.#guardChains() ?? [];
    if (arpGuardChains(id).every((c) => chains.includes(c))) return;
    await this.runner.run('nft', ['-f', '-'], { input: arpGuardScript(id, gateway) });
  }

  /** Removes the overlay's ARP guard chains, and the table with its last chain. */
  async removeArpGuard(id: string): Promise<void> {
    const before = await this.#guardChains();
    if (before === undefined) return;
    if (arpGuardChains(id).some((c) => before.includes(c))) await this.runner.run('nft', ['-f', '-'], { input: arpGuardRemoveScript(id) });
    // Best effort: an empty table left behind is harmless, and the next removal tries again.
    if ((await this.#guardChains())?.length === 0) {
      await this.runner.run('nft', ['delete', 'table', 'bridge', ARP_GUARD_TABLE]).catch(warnOnFailure(log, 'removing the empty ARP guard table', { table: ARP_GUARD_TABLE }));
    }
  }

  /** Writes the container's policy table of overlay `id` (policy-rules.ts) into the namespace bound at `netns`. */
  async writePolicies(netns: string, id: string, ifname: string, address: string, policies: readonly OverlayPolicy[]): Promise<void> {
    await this.runner.run('nsenter', [`--net=${netns}`, 'nft', '-f', '-'], { input: policyScript(id, ifname, address, policies) });
  }

  /** The denied counts by policy in the container's policy table of overlay `id` (none without a table). */
  async deniedCounts(netns: string, id: string): Promise<Map<string, number>> {
    // Fails when the container has no policy table: no counts.
    const listed = await this.runner.run('nsenter', [`--net=${netns}`, 'nft', '-j', 'list', 'counters', 'table', 'ip', policyTable(id)]).catch((err: unknown) => {
      log.debug('reading the policy counters failed; taken as none', { err, netns, network: id });
      return undefined;
    });
    return listed === undefined ? new Map() : parseDenied(listed.stdout);
  }

  /** The id prefixes of the mesh tables there are. */
  async #meshTables(): Promise<string[]> {
    const listed = await this.runner.run('nft', ['-j', 'list', 'tables', 'ip']).catch((err: unknown) => {
      log.warn('listing the nft tables failed; no stale mesh table is removed', { err });
      return undefined;
    });
    const parsed = JSON.parse(listed?.stdout ?? '{}') as { nftables?: { table?: { name?: string } }[] };
    return (parsed.nftables ?? []).flatMap((o) => {
      const match = /^berth-mesh-([0-9a-f]{12})$/.exec(o.table?.name ?? '');
      return match?.[1] === undefined ? [] : [match[1]];
    });
  }

  /** Writes the overlay's balancer table into the namespace bound at `netns` (one transaction). */
  async writeBalancers(netns: string, id: string, balancers: readonly OverlayBalancer[]): Promise<void> {
    await this.runner.run('nsenter', [`--net=${netns}`, 'nft', '-f', '-'], { input: balancerScript(id, balancers) });
  }

  /** Replaces the ingress network's mesh table (mesh-rules.ts) and lets its bridge route connections made to 127.0.0.1. */
  async writeMesh(id: string, ports: readonly OverlayPort[]): Promise<void> {
    const { bridge } = overlayDevices(id);
    if (ports.length > 0) await writeFile(`/proc/sys/net/ipv4/conf/${bridge}/route_localnet`, '1');
    await this.runner.run('nft', ['-f', '-'], { input: meshScript(id, ports) });
  }

  /**
   * Removes what dead state roots left: VXLAN devices whose state root has no database, then ARP
   * guard chains whose VXLAN device is gone (chains are read before links: a device is made
   * before its chains and removed after them). Returns the devices removed.
   */
  async removeStale(): Promise<string[]> {
    const removed: string[] = [];
    for (const link of await this.#links(['type', 'vxlan'])) {
      const name = link.ifname ?? '';
      const owner = link.ifalias?.startsWith('berth:') === true ? link.ifalias.slice('berth:'.length) : undefined;
      if (!name.startsWith(VXLAN_PREFIX) || owner === undefined) continue;
      if (await pathExists(join(owner, 'berth.db'), log)) continue;
      // Best effort: a device that stays is tried again at the next start.
      await this.runner.run('ip', ['link', 'del', name]).catch(warnOnFailure(log, 'removing a stale VXLAN device', { device: name, stateRoot: owner }));
      removed.push(name);
    }
    const chains = await this.#guardChains() ?? [];
    const devices = new Set((await this.#links(['type', 'vxlan'])).map((l) => l.ifname ?? ''));
    const orphans = new Set(chains.map((c) => c.replace(/^(in|fwd|out)-/, '')).filter((short) => /^[0-9a-f]{12}$/.test(short) && !devices.has(`${VXLAN_PREFIX}${short}`)));
    for (const short of orphans) await this.removeArpGuard(short);
    for (const short of await this.#meshTables()) {
      if (devices.has(`${VXLAN_PREFIX}${short}`)) continue;
      await this.runner.run('nft', ['delete', 'table', 'ip', meshTable(short)]).catch(warnOnFailure(log, 'removing a stale mesh table', { table: meshTable(short) }));
    }
    return removed;
  }
}
