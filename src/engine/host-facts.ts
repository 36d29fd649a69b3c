/** What the engine reads once from the host it runs on, for every container's runtime spec. */
import { readFile } from 'node:fs/promises';
import { release } from 'node:os';
import { join } from 'node:path';
import { errors } from '../base/errors.js';
import { detectCgroupLayout, type CgroupLayout } from '../runtime/cgroup-layout.js';
import type { KernelVersion } from '../runtime/seccomp/seccomp-for-capabilities.js';
import { capabilitiesFromMask } from '../runtime/spec/capabilities.js';
import type { HostLimits } from '../runtime/spec/container-rlimits.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import { componentLogger } from '../base/logger.js';
import { pathExists, readTextOr } from '../base/fs-probe.js';

const log = componentLogger('engine');

export interface HostFacts {
  limits: HostLimits;
  /** The daemon's bounding capability set. */
  capabilities: string[];
  kernel: KernelVersion;
  cgroups: CgroupLayout;
  /** The host's /etc/hosts and /etc/resolv.conf (empty when unreadable). */
  hosts: string;
  resolvConf: string;
  /** cgroup v1 cpu.rt_runtime_us exists: the kernel has CONFIG_RT_GROUP_SCHED (never on cgroup v2). */
  cpuRealtime?: boolean;
  /** cgroup v1 memory.swappiness exists (cgroup v2 has no such file). */
  memorySwappiness?: boolean;
}

/**
 * Refuses options the host cannot apply, before anything is made: invalid-argument
 * (`realtime-unsupported`, dockerd's message on such a kernel) for real-time CPU limits without
 * real-time group scheduling, (`swappiness-unsupported`) for a swappiness without memory.swappiness.
 * Facts not read (absent) count as supported.
 */
export function checkHostSupport(host: Pick<HostFacts, 'cpuRealtime' | 'memorySwappiness'>, options: ContainerOptions): void {
  const realtime = (options.cpuRealtimePeriod ?? 0) !== 0 || (options.cpuRealtimeRuntime ?? 0) !== 0;
  if (realtime && host.cpuRealtime === false) {
    throw errors.invalidArgument('realtime-unsupported',
      'HostConfig.CpuRealtimePeriod/CpuRealtimeRuntime: Your kernel does not support CPU real-time scheduler (no cpu.rt_runtime_us: the kernel lacks CONFIG_RT_GROUP_SCHED or the host uses cgroup v2)');
  }
  if (options.memorySwappiness !== undefined && options.memorySwappiness !== -1 && host.memorySwappiness === false) {
    throw errors.invalidArgument('swappiness-unsupported', 'HostConfig.MemorySwappiness: this host has no memory.swappiness (cgroup v2 has no swappiness per cgroup)');
  }
}

/** Hard limit of one row of /proc/self/limits (`unlimited` or unreadable → no ceiling). */
export function hardLimit(limitsText: string, label: string): number {
  const line = limitsText.split('\n').find((l) => l.startsWith(label));
  const fields = line?.slice(label.length).trim().split(/\s+/) ?? [];
  const hard = fields[1];
  const value = hard === undefined || hard === 'unlimited' ? Number.NaN : Number(hard);
  return Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER;
}

export function parseKernelVersion(text: string): KernelVersion {
  const [kernel = 0, major = 0] = text.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  return { kernel, major };
}

/** Whether a v1 controller's root has `file` (false on cgroup v2 or without the controller). */
async function v1File(layout: CgroupLayout, controller: string, file: string): Promise<boolean> {
  const mount = layout.v1.get(controller);
  if (mount === undefined) return false;
  return pathExists(join(mount, file), log);
}

export async function readHostFacts(): Promise<HostFacts> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const status = await readFile('/proc/self/status', 'utf8');
  const capBnd = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? 'ffffffffff';
  const cgroups = await detectCgroupLayout();
  return {
    limits: { nofileHard: hardLimit(limits, 'Max open files'), nprocHard: hardLimit(limits, 'Max processes') },
    capabilities: capabilitiesFromMask(capBnd),
    kernel: parseKernelVersion(release()),
    cgroups,
    cpuRealtime: await v1File(cgroups, 'cpu', 'cpu.rt_runtime_us'),
    memorySwappiness: await v1File(cgroups, 'memory', 'memory.swappiness'),
    hosts: await readTextOr('/etc/hosts', '', log),
    resolvConf: await readTextOr('/etc/resolv.conf', '', log),
  };
}
