/**
 * The packet-filter side of berth networks, for IPv4 (`iptables`) and IPv6 (`ip6tables`): the
 * isolation rules in berth's own filter chain BERTH-ISOLATION (jumped to first from FORWARD), the
 * forwarding accepts in BERTH-FORWARD (second) and one masquerade rule per network. Only rules and
 * chains berth creates are added or deleted; global chains are never flushed. Rule changes of one
 * process go one at a time per tool (check-then-insert must not interleave).
 *
 * IPv4: a final drop between any two berth bridges, before it a pass for each network's own
 * traffic. IPv6 rules exist only for networks with IPv6 (only those have IPv6 routes) and need no
 * final drop: each such network drops what comes into it from another berth bridge after passing
 * its own traffic, so the link-local traffic of networks without IPv6 is left alone.
 */
import { KeyedMutex } from '../base/keyed-mutex.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { bridgeOptions } from './network-options.js';
import { hasIpv6, type NetworkRecord } from './network-store.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('network');

export const ISOLATION_CHAIN = 'BERTH-ISOLATION';
/**
 * What the CNI firewall plugin did per container, once per network: accept forwarding out of the
 * bridge and replies into it (for hosts whose FORWARD policy is DROP). Jumped to right after
 * BERTH-ISOLATION, so isolation decides first.
 */
export const FORWARD_CHAIN = 'BERTH-FORWARD';
/** Every berth bridge is named `bn-<12 hex>`; iptables matches them all with `bn-+`. */
export const BRIDGE_PREFIX = 'bn-';
const ANY_BRIDGE = `${BRIDGE_PREFIX}+`;

type Tool = 'iptables' | 'ip6tables';

export class IsolationRules {
  readonly #mutex = new KeyedMutex();

  constructor(private readonly runner: ProcessRunner) {}

  /**
   * Whether the command succeeds: iptables answers a check (`-C`, `-S`) and a delete (`-D`, until
   * there is none left) by its exit status, so a failure here is an answer, not an error. A chain
   * creation (`-N`) that fails shows in the rule additions that follow, which throw.
   */
  async #ok(tool: Tool, args: string[]): Promise<boolean> {
    return this.runner.run(tool, ['-w', ...args]).then(() => true, () => false);
  }

  async #ensureRule(tool: Tool, args: string[], position: 'first' | 'last'): Promise<void> {
    const [chain = '', ...rule] = args;
    if (await this.#ok(tool, ['-C', chain, ...rule])) return;
    await this.runner.run(tool, position === 'first' ? ['-w', '-I', chain, '1', ...rule] : ['-w', '-A', chain, ...rule]);
  }

  /** The two chains and their jumps as FORWARD's first two rules; in IPv4 also the final drop between berth bridges. */
  async ensureChains(tool: Tool = 'iptables'): Promise<void> {
    await this.#mutex.run(tool, () => this.#ensureChains(tool));
  }

  async #ensureChains(tool: Tool): Promise<void> {
    if (!(await this.#ok(tool, ['-S', ISOLATION_CHAIN]))) await this.#ok(tool, ['-N', ISOLATION_CHAIN]);
    if (tool === 'iptables') await this.#ensureRule(tool, [ISOLATION_CHAIN, '-i', ANY_BRIDGE, '-o', ANY_BRIDGE, '-j', 'DROP'], 'last');
    // Connections to a published port (DNAT by portmap) may come from any network.
    await this.#ensureRule(tool, [ISOLATION_CHAIN, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'RETURN'], 'first');
    if (!(await this.#ok(tool, ['-S', FORWARD_CHAIN]))) await this.#ok(tool, ['-N', FORWARD_CHAIN]);
    // …and are forwarded even where FORWARD's policy is DROP (as dockerd leaves it): published
    // ports of containers and of the routing mesh.
    await this.#ensureRule(tool, [FORWARD_CHAIN, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT'], 'first');
    const forward = (await this.runner.run(tool, ['-w', '-S', 'FORWARD'])).stdout.split('\n').filter((l) => l.startsWith('-A '));
    const jumps = [ISOLATION_CHAIN, FORWARD_CHAIN];
    if (jumps.some((chain, i) => forward[i] !== `-A FORWARD -j ${chain}`)) {
      for (const chain of jumps) if (forward.includes(`-A FORWARD -j ${chain}`)) await this.#ok(tool, ['-D', 'FORWARD', '-j', chain]);
      await this.runner.run(tool, ['-w', '-I', 'FORWARD', '1', '-j', FORWARD_CHAIN]);
      await this.runner.run(tool, ['-w', '-I', 'FORWARD', '1', '-j', ISOLATION_CHAIN]);
    }
  }

  /** A routed network's accepts in BERTH-FORWARD: out of its bridge, and replies into it. None when internal. */
  static forwardRules(network: NetworkRecord): string[][] {
    if (network.internal) return [];
    const b = network.bridge;
    return [[FORWARD_CHAIN, '-i', b, '-j', 'ACCEPT'], [FORWARD_CHAIN, '-o', b, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT']];
  }

  /** IPv4 rules of one network: traffic inside the bridge (unless ICC is off); none in or out when internal. */
  static isolationRules(network: NetworkRecord): string[][] {
    const b = network.bridge;
    const { icc } = bridgeOptions(network.options);
    const rules = [[ISOLATION_CHAIN, '-i', b, '-o', b, '-j', icc ? 'RETURN' : 'DROP']];
    if (network.internal) {
      rules.push([ISOLATION_CHAIN, '-i', b, '!', '-o', b, '-j', 'DROP'], [ISOLATION_CHAIN, '!', '-i', b, '-o', b, '-j', 'DROP']);
    }
    return rules;
  }

  /** IPv6 rules of one network, in chain order: as IPv4, then a drop of what comes from another berth bridge. */
  static isolationRules6(network: NetworkRecord): string[][] {
    return [...IsolationRules.isolationRules(network), [ISOLATION_CHAIN, '-i', ANY_BRIDGE, '-o', network.bridge, '-j', 'DROP']];
  }

  /**
   * The network's masquerade rule (nat POSTROUTING, as Docker's): traffic from its subnet leaving
   * by another interface than its bridge. One rule per network instead of the bridge plugin's
   * chain per container (`ipMasq`). None for an internal network, or one created with
   * enable_ip_masquerade=false.
   */
  static masqueradeRule(network: NetworkRecord, subnet = network.subnet): string[] | undefined {
    return network.internal || !bridgeOptions(network.options).ipMasquerade ? undefined : ['POSTROUTING', '-s', subnet, '!', '-o', network.bridge, '-j', 'MASQUERADE'];
  }

  static masqueradeRules(network: NetworkRecord, subnet: string): string[][] {
    const rule = IsolationRules.masqueradeRule(network, subnet);
    return rule === undefined ? [] : [rule];
  }

  async add(network: NetworkRecord): Promise<void> {
    await this.#mutex.run('iptables', async () => {
      await this.#ensureChains('iptables');
      for (const rule of IsolationRules.isolationRules(network)) await this.#ensureRule('iptables', rule, 'first');
      await this.#addRest('iptables', network, network.subnet);
    });
    const subnet6 = hasIpv6(network) ? network.ipv6?.subnet : undefined;
    if (subnet6 === undefined) return;
    await this.#mutex.run('ip6tables', async () => {
      await this.#ensureChains('ip6tables');
      // The order matters (the network's own traffic passes before the drop): all or none again.
      const rules = IsolationRules.isolationRules6(network);
      const present = await Promise.all(rules.map(([chain = '', ...rule]) => this.#ok('ip6tables', ['-C', chain, ...rule])));
      if (present.some((p) => !p)) {
        await this.#deleteAll('ip6tables', rules);
        for (const rule of rules) await this.runner.run('ip6tables', ['-w', '-A', ...rule]);
      }
      await this.#addRest('ip6tables', network, subnet6);
    });
  }

  async #addRest(tool: Tool, network: NetworkRecord, subnet: string): Promise<void> {
    for (const rule of IsolationRules.forwardRules(network)) await this.#ensureRule(tool, rule, 'last');
    const masquerade = IsolationRules.masqueradeRule(network, subnet);
    if (masquerade !== undefined && !(await this.#ok(tool, ['-t', 'nat', '-C', ...masquerade]))) await this.runner.run(tool, ['-w', '-t', 'nat', '-A', ...masquerade]);
  }

  async #deleteAll(tool: Tool, rules: string[][], table = 'filter'): Promise<void> {
    for (const [chain = '', ...rule] of rules) {
      while (await this.#ok(tool, ['-t', table, '-D', chain, ...rule])) { /* a rule added twice goes twice */ }
    }
  }

  async remove(network: NetworkRecord): Promise<void> {
    const routed = { ...network, internal: false, options: {} };
    await this.#deleteAll('iptables', [...IsolationRules.isolationRules(network), ...IsolationRules.forwardRules(routed)]);
    await this.#deleteAll('iptables', IsolationRules.masqueradeRules(routed, network.subnet), 'nat');
    if (network.ipv6 === undefined || !network.enableIPv6) return;
    await this.#deleteAll('ip6tables', [...IsolationRules.isolationRules6(network), ...IsolationRules.forwardRules(routed)]);
    await this.#deleteAll('ip6tables', IsolationRules.masqueradeRules(routed, network.ipv6.subnet), 'nat');
  }

  /**
   * berth's rules (its two chains, its masquerade rules) that name a `bn-` bridge not in
   * `existing`: what a bridge removed with its state root, or by an older berth, leaves. Call
   * with the bridges listed after the rules are read (see HostNet.removeStaleBridges).
   */
  async removeOrphans(listBridges: () => Promise<Set<string>>): Promise<void> {
    // A chain that is not there (no berth network was ever made with this tool) has no rules.
    const read = async (tool: Tool, args: string[]): Promise<string[]> => (await this.runner.run(tool, ['-w', ...args]).catch((err: unknown) => {
      log.debug('listing rules failed; taken as none', { err, tool, args: args.join(' ') });
      return { stdout: '' };
    })).stdout.split('\n');
    const found: [Tool, string, string[]][] = [];
    for (const tool of ['iptables', 'ip6tables'] as const) {
      for (const chain of [ISOLATION_CHAIN, FORWARD_CHAIN]) found.push([tool, 'filter', await read(tool, ['-S', chain])]);
      found.push([tool, 'nat', (await read(tool, ['-t', 'nat', '-S', 'POSTROUTING'])).filter((r) => /^-A POSTROUTING -s \S+ ! -o bn-\S+ -j MASQUERADE$/.test(r))]);
    }
    const existing = await listBridges();
    const orphan = (rule: string): boolean => rule.split(' ').some((w) => w.startsWith(BRIDGE_PREFIX) && w !== ANY_BRIDGE && !existing.has(w));
    for (const [tool, table, rules] of found) {
      for (const rule of rules.filter((r) => r.startsWith('-A ') && orphan(r))) await this.#ok(tool, ['-t', table, '-D', ...rule.split(' ').slice(1)]);
    }
  }
}
