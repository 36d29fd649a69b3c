/** What the engine reads once from the host it runs on, for every container's runtime spec. */
import { readFile } from 'node:fs/promises';
import { release } from 'node:os';
import { detectCgroupLayout, type CgroupLayout } from '../runtime/cgroup-layout.js';
import type { KernelVersion } from '../runtime/seccomp/seccomp-for-capabilities.js';
import { capabilitiesFromMask } from '../runtime/spec/capabilities.js';
import type { HostLimits } from '../runtime/spec/container-rlimits.js';

export interface HostFacts {
  limits: HostLimits;
  /** The daemon's bounding capability set. */
  capabilities: string[];
  kernel: KernelVersion;
  cgroups: CgroupLayout;
  /** The host's /etc/hosts and /etc/resolv.conf (empty when unreadable). */
  hosts: string;
  resolvConf: string;
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

async function readOr(path: string, fallback: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => fallback);
}

export async function readHostFacts(): Promise<HostFacts> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const status = await readFile('/proc/self/status', 'utf8');
  const capBnd = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? 'ffffffffff';
  return {
    limits: { nofileHard: hardLimit(limits, 'Max open files'), nprocHard: hardLimit(limits, 'Max processes') },
    capabilities: capabilitiesFromMask(capBnd),
    kernel: parseKernelVersion(release()),
    cgroups: await detectCgroupLayout(),
    hosts: await readOr('/etc/hosts', ''),
    resolvConf: await readOr('/etc/resolv.conf', ''),
  };
}
