/**
 * What `GET /info` reports about the machine berthd runs on, read when asked: the distribution
 * (/etc/os-release), the kernel's forwarding and bridge-netfilter switches, the cgroup features
 * berth can use here, the backing filesystem of the state root, and the daemon's own open files
 * and threads. Every read that fails gives the answer "not available" (false, '' or 0).
 */
import { readdir, readFile, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import type { CgroupLayout } from '../runtime/cgroup-layout.js';

const log = componentLogger('api');

export interface CgroupFeatures {
  memoryLimit: boolean;
  swapLimit: boolean;
  cpuCfsPeriod: boolean;
  cpuCfsQuota: boolean;
  cpuShares: boolean;
  cpuSet: boolean;
  pidsLimit: boolean;
}

export interface HostInfo {
  /** PRETTY_NAME and VERSION_ID of /etc/os-release. */
  operatingSystem: string;
  osVersion: string;
  ipv4Forwarding: boolean;
  bridgeNfIptables: boolean;
  bridgeNfIp6tables: boolean;
  cgroups: CgroupFeatures;
  /** Docker's name of the state root's filesystem (`extfs`, `xfs`, …). */
  backingFilesystem: string;
  /** Open file descriptors and threads of this process. */
  openFiles: number;
  threads: number;
}

/**
 * A fact that cannot be read is "not available" (see above): a file that is not there (ENOENT,
 * ENOTDIR: a module not loaded, a controller not mounted) quietly, any other failure noted at debug.
 */
function notAvailable(path: string): (err: unknown) => undefined {
  return (err) => {
    const code = errnoCode(err);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') log.debug('a host fact is not available', { err, path });
    return undefined;
  };
}

async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(notAvailable(path));
}

async function exists(path: string): Promise<boolean> {
  return (await readText(path)) !== undefined;
}

/** `KEY=value` / `KEY="value"` lines of os-release. */
export function parseOsRelease(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match === null) continue;
    fields.set(match[1] ?? '', (match[2] ?? '').replace(/^(["'])(.*)\1$/, '$2'));
  }
  return fields;
}

/** statfs magic numbers → the names dockerd's `Backing Filesystem` uses. */
const FILESYSTEMS = new Map<number, string>([
  [0xef53, 'extfs'], [0x58465342, 'xfs'], [0x9123683e, 'btrfs'], [0x01021994, 'tmpfs'], [0x794c7630, 'overlayfs'],
  [0x2fc12fc1, 'zfs'], [0x6969, 'nfs'], [0x65735546, 'fuse'],
]);

async function backingFilesystem(path: string): Promise<string> {
  const stats = await statfs(path).catch(notAvailable(path));
  if (stats === undefined) return '';
  return FILESYSTEMS.get(stats.type) ?? `0x${stats.type.toString(16)}`;
}

/** The cgroup features berth uses (v1: the controllers' files at their mount; v2: the root's controllers). */
async function cgroupFeatures(layout: CgroupLayout): Promise<CgroupFeatures> {
  if (layout.mode === 'v2-unified' && layout.unified !== undefined) {
    const controllers = new Set((await readText(join(layout.unified, 'cgroup.controllers')) ?? '').trim().split(/\s+/));
    const memory = controllers.has('memory');
    const cpu = controllers.has('cpu');
    return { memoryLimit: memory, swapLimit: memory, cpuCfsPeriod: cpu, cpuCfsQuota: cpu, cpuShares: cpu, cpuSet: controllers.has('cpuset'), pidsLimit: controllers.has('pids') };
  }
  const at = (controller: string, file: string): Promise<boolean> => {
    const mount = layout.v1.get(controller);
    return mount === undefined ? Promise.resolve(false) : exists(join(mount, file));
  };
  return {
    memoryLimit: await at('memory', 'memory.limit_in_bytes'),
    swapLimit: await at('memory', 'memory.memsw.limit_in_bytes'),
    cpuCfsPeriod: await at('cpu', 'cpu.cfs_period_us'),
    cpuCfsQuota: await at('cpu', 'cpu.cfs_quota_us'),
    cpuShares: await at('cpu', 'cpu.shares'),
    cpuSet: layout.v1.has('cpuset'),
    pidsLimit: layout.v1.has('pids'),
  };
}

const isOne = (text: string | undefined): boolean => text?.trim() === '1';

/** Reads the facts (`stateRoot`: for its filesystem). Never throws. */
export async function readHostInfo(cgroups: CgroupLayout, stateRoot: string): Promise<HostInfo> {
  const release = parseOsRelease((await readText('/etc/os-release')) ?? (await readText('/usr/lib/os-release')) ?? '');
  const status = (await readText('/proc/self/status')) ?? '';
  return {
    operatingSystem: release.get('PRETTY_NAME') ?? 'Linux',
    osVersion: release.get('VERSION_ID') ?? '',
    ipv4Forwarding: isOne(await readText('/proc/sys/net/ipv4/ip_forward')),
    bridgeNfIptables: isOne(await readText('/proc/sys/net/bridge/bridge-nf-call-iptables')),
    bridgeNfIp6tables: isOne(await readText('/proc/sys/net/bridge/bridge-nf-call-ip6tables')),
    cgroups: await cgroupFeatures(cgroups),
    backingFilesystem: await backingFilesystem(stateRoot),
    openFiles: ((await readdir('/proc/self/fd').catch(notAvailable('/proc/self/fd'))) ?? []).length,
    threads: Number(/^Threads:\s*(\d+)$/m.exec(status)?.[1] ?? 0),
  };
}
