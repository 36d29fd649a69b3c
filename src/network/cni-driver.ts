/**
 * Runs CNI plugins as the CNI spec says: one executable per plugin from the plugin directory, the
 * command and attachment in CNI_* variables, the plugin's config (with `name`, `cniVersion`,
 * `runtimeConfig` and, after the first, the previous plugin's result as `prevResult`) on stdin.
 * ADD runs the list in order; DEL in reverse with the ADD result as `prevResult`. The ADD result
 * and the config it ran with are cached in a file so DEL works after a restart and with the same
 * config even if the network changed. Safe concurrently for different (container, ifname) pairs.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';
import { errnoCode } from '../base/errors.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { CniConfList } from './cni-config.js';
import { componentLogger, warnOnFailure } from '../base/logger.js';
import { dirEntries } from '../base/fs-probe.js';

const log = componentLogger('network');

export interface CniAttachment {
  containerId: string;
  netns: string;
  ifname: string;
}

export interface CniInterface { name: string; mac?: string; sandbox?: string }
export interface CniIp { address: string; gateway?: string; interface?: number }
export interface CniResult { cniVersion?: string; interfaces?: CniInterface[]; ips?: CniIp[]; routes?: unknown[]; dns?: unknown }

interface CacheEntry { conf: CniConfList; attachment: CniAttachment; result: CniResult }

export class CniDriver {
  constructor(private readonly runner: ProcessRunner, private readonly pluginDir: string, private readonly cacheDir: string) {}

  #cacheFile(a: { containerId: string; ifname: string }, network: string): string {
    return join(this.cacheDir, `${network}-${a.containerId}-${a.ifname}.json`);
  }

  async #exec(command: 'ADD' | 'DEL', conf: CniConfList, plugin: CniConfList['plugins'][number], a: CniAttachment, prev: CniResult | undefined): Promise<CniResult | undefined> {
    const config: Record<string, unknown> = { ...plugin, name: conf.name, cniVersion: conf.cniVersion };
    if (prev !== undefined) config.prevResult = prev;
    const env = {
      PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
      CNI_COMMAND: command, CNI_CONTAINERID: a.containerId, CNI_NETNS: a.netns, CNI_IFNAME: a.ifname, CNI_PATH: this.pluginDir, CNI_ARGS: '',
    };
    const { stdout } = await this.runner.run(join(this.pluginDir, plugin.type), [], { env, input: JSON.stringify(config) });
    return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as CniResult);
  }

  /**
   * ADD of the whole list; on a failure the plugins already run, and the one that failed (the
   * bridge plugin leaves its veth behind when IPAM refuses an address), are deleted again before
   * the throw.
   */
  async add(conf: CniConfList, a: CniAttachment): Promise<CniResult> {
    let result: CniResult | undefined;
    const done: CniConfList['plugins'] = [];
    try {
      for (const plugin of conf.plugins) {
        done.push(plugin);
        result = (await this.#exec('ADD', conf, plugin, a, result)) ?? result;
      }
    } catch (err) {
      // The ADD's error is the one thrown; what its undo leaves is logged.
      await this.#delete({ ...conf, plugins: done }, a, result).catch(warnOnFailure(log, 'undoing a failed CNI ADD', { network: conf.name, container: a.containerId, ifname: a.ifname }));
      throw err;
    }
    const final = result ?? {};
    await writeFileAtomic(this.#cacheFile(a, conf.name), JSON.stringify({ conf, attachment: a, result: final } satisfies CacheEntry));
    return final;
  }

  async #delete(conf: CniConfList, a: CniAttachment, prev: CniResult | undefined): Promise<void> {
    const failures: unknown[] = [];
    for (const plugin of [...conf.plugins].reverse()) {
      await this.#exec('DEL', conf, plugin, a, prev).catch((err: unknown) => { failures.push(err); });
    }
    if (failures.length > 0) throw failures[0] instanceof Error ? failures[0] : new Error(String(failures[0]));
  }

  /** DEL with the cached config and result of the ADD; nothing to do when none is cached. */
  async del(network: string, a: { containerId: string; ifname: string }): Promise<void> {
    const file = this.#cacheFile(a, network);
    let entry: CacheEntry;
    try {
      entry = JSON.parse(await readFile(file, 'utf8')) as CacheEntry;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return;
      throw err;
    }
    await this.#delete(entry.conf, entry.attachment, entry.result);
    await rm(file, { force: true });
  }

  /** The (network, ifname) pairs with a cached ADD for this container. */
  async cachedFor(containerId: string): Promise<{ network: string; ifname: string }[]> {
    const marker = `-${containerId}-`;
    const out: { network: string; ifname: string }[] = [];
    for (const name of await dirEntries(this.cacheDir, log)) { // no cache dir yet: nothing cached
      const at = name.indexOf(marker);
      if (at < 0 || !name.endsWith('.json')) continue;
      out.push({ network: name.slice(0, at), ifname: name.slice(at + marker.length, -'.json'.length) });
    }
    return out;
  }

  /** Container ids with any cached ADD (64-hex ids only). */
  async cachedContainers(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const name of await dirEntries(this.cacheDir, log)) { // no cache dir yet: nothing cached
      const match = /-([0-9a-f]{64})-[^-]+\.json$/.exec(name);
      if (match?.[1] !== undefined) ids.add(match[1]);
    }
    return ids;
  }
}
