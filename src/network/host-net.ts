/**
 * The host side of berth networks, with `ip` and `iptables`: network namespaces as bind-mounted
 * files under the state root (they survive berthd restarts), the bridge of each network, and the
 * isolation rules in berth's own filter chain BERTH-ISOLATION (jumped to first from FORWARD), the
 * forwarding accepts in BERTH-FORWARD (second) and one masquerade rule per network.
 * Only rules and chains berth creates are added or deleted; global chains are never flushed.
 */
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { KeyedMutex } from '../base/keyed-mutex.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { isMountPoint, unmountAll } from '../snapshots/mount-table.js';
import { bridgeOptions } from './network-options.js';
import type { NetworkRecord } from './network-store.js';

export const ISOLATION_CHAIN = 'BERTH-ISOLATION';
/**
 * What the CNI firewall plugin did per container, once per network: accept forwarding out of the
 * bridge and replies into it (for hosts whose FORWARD policy is DROP). Jumped to right after
 * BERTH-ISOLATION, so isolation decides first.
 */
export const FORWARD_CHAIN = 'BERTH-FORWARD';
/** Every berth bridge is named `bn-<12 hex>`; iptables matches them all with `bn-+`. */
export const BRIDGE_PREFIX = 'bn-';

export class HostNet {
  /** Rule changes of this process go one at a time (check-then-insert must not interleave). */
  readonly #rules = new KeyedMutex();

  constructor(private readonly runner: ProcessRunner) {}

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
   * The network's bridge, up, with the gateway address (so its subnet shows in the host's routes)
   * and `berth:<state root>` as its alias, so a bridge whose state root is gone can be recognised.
   */
  async ensureBridge(network: NetworkRecord, stateRoot: string): Promise<void> {
    const prefix = network.subnet.split('/')[1] ?? '24';
    if (!(await this.#ok('ip', ['link', 'show', 'dev', network.bridge]))) {
      await this.runner.run('ip', ['link', 'add', 'name', network.bridge, 'type', 'bridge']).catch(async (err: unknown) => {
        if (!(await this.#ok('ip', ['link', 'show', 'dev', network.bridge]))) throw err;
      });
    }
    const addresses = await this.runner.run('ip', ['-j', 'addr', 'show', 'dev', network.bridge]);
    if (!addresses.stdout.includes(`"${network.gateway}"`)) {
      await this.runner.run('ip', ['addr', 'add', `${network.gateway}/${prefix}`, 'dev', network.bridge]);
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
    for (const link of await this.#bridges()) {
      const name = link.ifname ?? '';
      const owner = link.ifalias?.startsWith('berth:') === true ? link.ifalias.slice('berth:'.length) : undefined;
      if (!name.startsWith(BRIDGE_PREFIX) || owner === undefined) continue;
      if (await access(join(owner, 'berth.db')).then(() => true, () => false)) continue;
      await this.#ok('ip', ['link', 'del', name]);
      removed.push(name);
    }
    await this.#removeOrphanRules();
    return removed;
  }

  async #bridges(): Promise<{ ifname?: string; ifalias?: string }[]> {
    const listed = await this.runner.run('ip', ['-j', '-d', 'link', 'show', 'type', 'bridge']).catch(() => ({ stdout: '[]' }));
    return JSON.parse(listed.stdout === '' ? '[]' : listed.stdout) as { ifname?: string; ifalias?: string }[];
  }

  /**
   * berth's rules (its two chains, its masquerade rules) that name a `bn-` bridge which no longer
   * exists: what a bridge removed with its state root, or by an older berth, leaves. The rules are
   * listed before the bridges: a bridge is always made before its rules and removed after them,
   * so a network another process is creating meanwhile is never taken for an orphan.
   */
  async #removeOrphanRules(): Promise<void> {
    const filter = await Promise.all([ISOLATION_CHAIN, FORWARD_CHAIN].map((c) => this.runner.run('iptables', ['-w', '-S', c]).catch(() => ({ stdout: '' }))));
    const nat = (await this.runner.run('iptables', ['-w', '-t', 'nat', '-S', 'POSTROUTING']).catch(() => ({ stdout: '' }))).stdout.split('\n')
      .filter((r) => /^-A POSTROUTING -s \S+ ! -o bn-\S+ -j MASQUERADE$/.test(r));
    const existing = new Set((await this.#bridges()).map((l) => l.ifname ?? ''));
    const orphan = (rule: string): boolean => rule.split(' ').some((w) => w.startsWith(BRIDGE_PREFIX) && w !== `${BRIDGE_PREFIX}+` && !existing.has(w));
    for (const rule of filter.flatMap((l) => l.stdout.split('\n')).filter((r) => r.startsWith('-A ') && orphan(r))) {
      await this.#ok('iptables', ['-w', '-D', ...rule.split(' ').slice(1)]);
    }
    for (const rule of nat.filter(orphan)) await this.#ok('iptables', ['-w', '-t', 'nat', '-D', ...rule.split(' ').slice(1)]);
  }

  async removeBridge(network: NetworkRecord): Promise<void> {
    if (await this.#ok('ip', ['link', 'show', 'dev', network.bridge])) await this.runner.run('ip', ['link', 'del', network.bridge]);
  }

  async #ensureRule(args: string[], position: 'first' | 'last'): Promise<void> {
    const [chain = '', ...rule] = args;
    if (await this.#ok('iptables', ['-w', '-C', chain, ...rule])) return;
    await this.runner.run('iptables', position === 'first' ? ['-w', '-I', chain, '1', ...rule] : ['-w', '-A', chain, ...rule]);
  }

  /**
   * The chain, its jump as FORWARD's first rule, the final drop between berth bridges, and before
   * it a pass for connections to a published port (DNAT by portmap), which any network may reach.
   */
  async ensureIsolationChain(): Promise<void> {
    await this.#rules.run('iptables', () => this.#ensureIsolationChain());
  }

  async #ensureIsolationChain(): Promise<void> {
    if (!(await this.#ok('iptables', ['-w', '-S', ISOLATION_CHAIN]))) await this.#ok('iptables', ['-w', '-N', ISOLATION_CHAIN]);
    await this.#ensureRule([ISOLATION_CHAIN, '-i', `${BRIDGE_PREFIX}+`, '-o', `${BRIDGE_PREFIX}+`, '-j', 'DROP'], 'last');
    await this.#ensureRule([ISOLATION_CHAIN, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'RETURN'], 'first');
    if (!(await this.#ok('iptables', ['-w', '-S', FORWARD_CHAIN]))) await this.#ok('iptables', ['-w', '-N', FORWARD_CHAIN]);
    const forward = (await this.runner.run('iptables', ['-w', '-S', 'FORWARD'])).stdout.split('\n').filter((l) => l.startsWith('-A '));
    const jumps = [ISOLATION_CHAIN, FORWARD_CHAIN];
    if (jumps.some((chain, i) => forward[i] !== `-A FORWARD -j ${chain}`)) {
      for (const chain of jumps) if (forward.includes(`-A FORWARD -j ${chain}`)) await this.#ok('iptables', ['-w', '-D', 'FORWARD', '-j', chain]);
      await this.runner.run('iptables', ['-w', '-I', 'FORWARD', '1', '-j', FORWARD_CHAIN]);
      await this.runner.run('iptables', ['-w', '-I', 'FORWARD', '1', '-j', ISOLATION_CHAIN]);
    }
  }

  /** A routed network's accepts in BERTH-FORWARD: out of its bridge, and replies into it. None when internal. */
  static forwardRules(network: NetworkRecord): string[][] {
    if (network.internal) return [];
    const b = network.bridge;
    return [[FORWARD_CHAIN, '-i', b, '-j', 'ACCEPT'], [FORWARD_CHAIN, '-o', b, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT']];
  }

  /** The rules of one network: traffic inside the bridge (unless ICC is off); none in or out when internal. */
  static isolationRules(network: NetworkRecord): string[][] {
    const b = network.bridge;
    const { icc } = bridgeOptions(network.options);
    const rules = [[ISOLATION_CHAIN, '-i', b, '-o', b, '-j', icc ? 'RETURN' : 'DROP']];
    if (network.internal) {
      rules.push([ISOLATION_CHAIN, '-i', b, '!', '-o', b, '-j', 'DROP'], [ISOLATION_CHAIN, '!', '-i', b, '-o', b, '-j', 'DROP']);
    }
    return rules;
  }

  /**
   * The network's masquerade rule (nat POSTROUTING, as Docker's): traffic from its subnet leaving
   * by another interface than its bridge. One rule per network instead of the bridge plugin's
   * chain per container (`ipMasq`), which cost two plugin-side iptables rounds per start and stop.
   * None for an internal network, or one created with enable_ip_masquerade=false.
   */
  static masqueradeRule(network: NetworkRecord): string[] | undefined {
    return network.internal || !bridgeOptions(network.options).ipMasquerade ? undefined : ['POSTROUTING', '-s', network.subnet, '!', '-o', network.bridge, '-j', 'MASQUERADE'];
  }

  async addIsolation(network: NetworkRecord): Promise<void> {
    await this.#rules.run('iptables', async () => {
      await this.#ensureIsolationChain();
      for (const rule of HostNet.isolationRules(network)) await this.#ensureRule(rule, 'first');
      for (const rule of HostNet.forwardRules(network)) await this.#ensureRule(rule, 'last');
      const masquerade = HostNet.masqueradeRule(network);
      if (masquerade !== undefined && !(await this.#ok('iptables', ['-w', '-t', 'nat', '-C', ...masquerade]))) {
        await this.runner.run('iptables', ['-w', '-t', 'nat', '-A', ...masquerade]);
      }
    });
  }

  async removeIsolation(network: NetworkRecord): Promise<void> {
    for (const [chain = '', ...rule] of [...HostNet.isolationRules(network), ...HostNet.forwardRules({ ...network, internal: false })]) {
      while (await this.#ok('iptables', ['-w', '-D', chain, ...rule])) { /* a rule added twice goes twice */ }
    }
    const masquerade = HostNet.masqueradeRule({ ...network, internal: false, options: {} });
    while (masquerade !== undefined && await this.#ok('iptables', ['-w', '-t', 'nat', '-D', ...masquerade])) { /* likewise */ }
  }
}
