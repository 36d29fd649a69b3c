/**
 * The host side of berth networks, with `ip`: network namespaces as bind-mounted files under the
 * state root (they survive berthd restarts) and the bridge of each network with its gateway
 * addresses; the packet-filter rules are IsolationRules'. Only what berth creates is removed.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProcessRunner } from '../base/process-runner.js';
import { isMountPoint, unmountAll } from '../mount/mount-table.js';
import { BRIDGE_PREFIX, IsolationRules } from './isolation-rules.js';
import { hasIpv6, type NetworkRecord } from './network-store.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { pathExists } from '../base/fs-probe.js';

const log = componentLogger('network');

export { BRIDGE_PREFIX, FORWARD_CHAIN, ISOLATION_CHAIN } from './isolation-rules.js';

export class HostNet {
  readonly rules: IsolationRules;

  constructor(private readonly runner: ProcessRunner) {
    this.rules = new IsolationRules(runner);
  }

  /** Whether the command succeeds (`ip link show dev X`: whether X exists): a failure is the answer "no". */
  async #ok(command: string, args: string[]): Promise<boolean> {
    return this.runner.run(command, args).then(() => true, () => false);
  }

  /** A new network namespace bound at `path` with its loopback up (kept until removeNetns). Idempotent. */
  async createNetns(path: string): Promise<void> {
    if (await isMountPoint(path)) return;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '');
    await this.runner.run('unshare', [`--net=${path}`, 'ip', 'link', 'set', 'lo', 'up']);
  }

  async removeNetns(path: string): Promise<void> {
    await unmountAll(this.runner, path);
    await rm(path, { force: true });
  }

  /**
   * The network's bridge, up, with the gateway addresses (so its subnets show in the host's
   * routes; the IPv6 one without duplicate address detection) and `berth:<state root>` as its
   * alias, so a bridge whose state root is gone can be recognised.
   */
  async ensureBridge(network: NetworkRecord, stateRoot: string): Promise<void> {
    if (!(await this.#ok('ip', ['link', 'show', 'dev', network.bridge]))) {
      await this.runner.run('ip', ['link', 'add', 'name', network.bridge, 'type', 'bridge']).catch(async (err: unknown) => {
        if (!(await this.#ok('ip', ['link', 'show', 'dev', network.bridge]))) throw err;
      });
    }
    const addresses = await this.runner.run('ip', ['-j', 'addr', 'show', 'dev', network.bridge]);
    const gateways = [[network.gateway, network.subnet], ...(hasIpv6(network) && network.ipv6 !== undefined ? [[network.ipv6.gateway, network.ipv6.subnet]] : [])];
    for (const [gateway = '', subnet = ''] of gateways) {
      if (addresses.stdout.includes(`"${gateway}"`)) continue;
      await this.runner.run('ip', ['addr', 'add', `${gateway}/${subnet.split('/')[1] ?? ''}`, 'dev', network.bridge, ...(gateway.includes(':') ? ['nodad'] : [])]);
    }
    await this.runner.run('ip', ['link', 'set', 'dev', network.bridge, 'alias', `berth:${stateRoot}`]);
    await this.runner.run('ip', ['link', 'set', network.bridge, 'up']);
  }

  /**
   * Removes berth bridges whose state root no longer has a database (what a deleted state root
   * leaves on the host), then every berth rule naming a bridge that does not exist. Returns the
   * bridges removed.
   */
  async removeStaleBridges(): Promise<string[]> {
    const removed: string[] = [];
    const bridges = await this.#bridges().catch((err: unknown) => {
      // Without the list nothing can be told stale: the sweep waits for the next start.
      log.warn('listing the bridges failed; stale bridges and rules are left for the next start', { err });
      return undefined;
    });
    if (bridges === undefined) return removed;
    for (const link of bridges) {
      const name = link.ifname ?? '';
      const owner = link.ifalias?.startsWith('berth:') === true ? link.ifalias.slice('berth:'.length) : undefined;
      if (!name.startsWith(BRIDGE_PREFIX) || owner === undefined) continue;
      if (await pathExists(join(owner, 'berth.db'), log)) continue;
      // Best effort: a bridge that stays is tried again at the next start.
      await this.runner.run('ip', ['link', 'del', name]).catch(warnOnFailure(log, 'removing a stale bridge', { bridge: name, stateRoot: owner }));
      removed.push(name);
    }
    // The rules are read before the bridges: a bridge is always made before its rules and removed
    // after them, so a network another process is creating meanwhile is never taken for an orphan.
    // A failed second listing ends the rule sweep (a rule is never taken for an orphan unseen).
    await this.rules.removeOrphans(async () => new Set((await this.#bridges()).map((l) => l.ifname ?? '')))
      .catch(warnOnFailure(log, 'sweeping the rules of removed bridges'));
    return removed;
  }

  async #bridges(): Promise<{ ifname?: string; ifalias?: string }[]> {
    const listed = await this.runner.run('ip', ['-j', '-d', 'link', 'show', 'type', 'bridge']);
    return JSON.parse(listed.stdout === '' ? '[]' : listed.stdout) as { ifname?: string; ifalias?: string }[];
  }

  async removeBridge(network: NetworkRecord): Promise<void> {
    if (await this.#ok('ip', ['link', 'show', 'dev', network.bridge])) await this.runner.run('ip', ['link', 'del', network.bridge]);
  }

  /** Adds an address (CIDR) to an interface inside the namespace bound at `netns`. */
  async addAddress(netns: string, ifname: string, cidr: string): Promise<void> {
    await this.runner.run('nsenter', [`--net=${netns}`, 'ip', 'addr', 'add', cidr, 'dev', ifname, ...(cidr.includes(':') ? ['nodad'] : [])]);
  }

  /** The chains and FORWARD jumps (IPv4); see IsolationRules. */
  async ensureIsolationChain(): Promise<void> {
    await this.rules.ensureChains('iptables');
  }

  async addIsolation(network: NetworkRecord): Promise<void> {
    await this.rules.add(network);
  }

  async removeIsolation(network: NetworkRecord): Promise<void> {
    await this.rules.remove(network);
  }
}
