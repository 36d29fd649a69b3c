/**
 * The lab's links on the host, with `ip`: one bridge holding the host's address, and per node a
 * network namespace (`ip netns add`, so it is a file under /run/netns that any process can enter)
 * joined to the bridge by a veth pair whose inner end is `eth0` with the node's address. Nodes
 * have no default route: their traffic stays on the bridge (the host and the other nodes).
 * Every remove is idempotent; nothing is removed that the lab's names do not name.
 */
import { isBerthError } from '../base/errors.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { LabNames, LabNodeNames } from './lab-names.js';

const log = componentLogger('lab');

export class LabNetwork {
  constructor(private readonly runner: ProcessRunner, private readonly names: LabNames) {}

  async #ok(args: string[]): Promise<boolean> {
    return this.runner.run('ip', args).then(() => true, () => false);
  }

  /** The destinations of the host's routes (`ip -j route`), for choosing a free subnet. */
  async routeDestinations(): Promise<string[]> {
    const listed = await this.runner.run('ip', ['-j', 'route', 'show', 'table', 'all']);
    const routes = JSON.parse(listed.stdout === '' ? '[]' : listed.stdout) as { dst?: unknown }[];
    return routes.map((r) => r.dst).filter((d): d is string => typeof d === 'string');
  }

  /** Devices other than the lab's bridge that the host routes `subnet` to (another lab that chose it at the same time). */
  async otherDevicesRouting(subnet: string): Promise<string[]> {
    const listed = await this.runner.run('ip', ['-j', 'route', 'show', 'exact', subnet]);
    const routes = JSON.parse(listed.stdout === '' ? '[]' : listed.stdout) as { dev?: unknown }[];
    return routes.map((r) => r.dev).filter((d): d is string => typeof d === 'string' && d !== this.names.bridge);
  }

  /** The bridge, with the host's address (`address/prefix`), the lab's alias, up. */
  async createBridge(hostCidr: string): Promise<void> {
    const bridge = this.names.bridge;
    await this.runner.run('ip', ['link', 'add', 'name', bridge, 'type', 'bridge']);
    await this.runner.run('ip', ['link', 'set', 'dev', bridge, 'alias', this.names.alias]);
    await this.runner.run('ip', ['addr', 'add', hostCidr, 'dev', bridge]);
    await this.runner.run('ip', ['link', 'set', 'dev', bridge, 'up']);
  }

  /** The node's namespace (loopback up) and its veth pair on the bridge, `eth0` holding `cidr`. */
  async createNode(node: LabNodeNames, cidr: string): Promise<void> {
    await this.runner.run('ip', ['netns', 'add', node.netns]);
    await this.runner.run('ip', ['-n', node.netns, 'link', 'set', 'lo', 'up']);
    await this.runner.run('ip', ['link', 'add', 'name', node.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.netns]);
    await this.runner.run('ip', ['link', 'set', 'dev', node.veth, 'alias', `${this.names.alias}:${node.node}`]);
    await this.runner.run('ip', ['link', 'set', 'dev', node.veth, 'master', this.names.bridge, 'up']);
    await this.runner.run('ip', ['-n', node.netns, 'addr', 'add', cidr, 'dev', 'eth0']);
    await this.runner.run('ip', ['-n', node.netns, 'link', 'set', 'eth0', 'up']);
  }

  /** The lab's namespaces that exist now (from `ip netns list`). */
  async listNetns(): Promise<string[]> {
    const listed = (await this.runner.run('ip', ['-j', 'netns', 'list']).catch(warnOnFailure(log, 'listing the network namespaces'))) ?? { stdout: '' };
    const entries = JSON.parse(listed.stdout.trim() === '' ? '[]' : listed.stdout) as { name?: unknown }[];
    return entries.map((e) => e.name).filter((n): n is string => typeof n === 'string' && this.names.ownsNetns(n));
  }

  /** The pids of the processes in namespace `netns` (none when it does not exist). */
  async pidsIn(netns: string): Promise<number[]> {
    const listed = (await this.runner.run('ip', ['netns', 'pids', netns]).catch((err: unknown) => {
      // `ip` fails (command-failed) for a namespace that does not exist: no processes.
      if (isBerthError(err, 'internal') && err.reason === 'command-failed') log.debug('listing the processes of a namespace failed', { err, netns });
      else log.warn('listing the processes of a namespace failed', { err, netns });
    })) ?? { stdout: '' };
    return listed.stdout.split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number);
  }

  /** Whether process `pid` is in namespace `netns` (same namespace inode). */
  async isIn(pid: number, netns: string): Promise<boolean> {
    return (await this.pidsIn(netns)).includes(pid);
  }

  /** Deletes a namespace (its veth end goes with it, and so does the host end). */
  async removeNetns(netns: string): Promise<void> {
    if (await this.#ok(['netns', 'pids', netns])) await this.runner.run('ip', ['netns', 'del', netns]);
  }

  /** Host ends of veths left behind (named `bl-<digest>-<i>`), then the bridge. */
  async removeLinks(): Promise<void> {
    const listed = (await this.runner.run('ip', ['-j', 'link', 'show']).catch(warnOnFailure(log, 'listing the host\'s links'))) ?? { stdout: '[]' };
    const links = JSON.parse(listed.stdout === '' ? '[]' : listed.stdout) as { ifname?: unknown }[];
    const veth = new RegExp(`^${this.names.bridge}-\\d+$`);
    for (const link of links) {
      const name = typeof link.ifname === 'string' ? link.ifname : '';
      if (veth.test(name)) await this.#ok(['link', 'del', name]);
    }
    if (await this.#ok(['link', 'show', 'dev', this.names.bridge])) await this.runner.run('ip', ['link', 'del', this.names.bridge]);
  }
}
