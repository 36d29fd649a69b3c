/**
 * What the resource checks of create and update know of the host, read once (as dockerd reads its
 * sysinfo): the CPUs berthd may run on, the root cpuset's CPUs and memory nodes, and which of the
 * swap, swappiness and Block I/O weight files the cgroups have.
 */
import { access, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { CgroupLayout } from '../runtime/cgroup-layout.js';
import type { HostFacts } from '../engine/host-facts.js';
import type { HostResources } from './resource-ranges.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

async function firstLine(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').then((text) => text.trim(), () => undefined);
}

/** A file of a v1 controller's root, or of the cgroup2 root on a unified host. */
function rootFile(layout: CgroupLayout, controller: string, v1: string, v2: string): string | undefined {
  const mount = layout.v1.get(controller);
  if (mount !== undefined) return join(mount, v1);
  return layout.mode === 'v2-unified' && layout.unified !== undefined ? join(layout.unified, v2) : undefined;
}

/** Reads the host's resource facts; unreadable cpusets count as every CPU and node 0. */
export async function readHostResources(host: Pick<HostFacts, 'cgroups' | 'memorySwappiness'>): Promise<HostResources> {
  const layout = host.cgroups;
  const cpus = availableParallelism();
  const cpusFile = rootFile(layout, 'cpuset', 'cpuset.cpus', 'cpuset.cpus.effective');
  const memsFile = rootFile(layout, 'cpuset', 'cpuset.mems', 'cpuset.mems.effective');
  const unified = layout.mode === 'v2-unified';
  const controllers = unified && layout.unified !== undefined ? (await firstLine(join(layout.unified, 'cgroup.controllers')) ?? '').split(/\s+/) : [];
  const v1File = async (controller: string, file: string) => {
    const mount = layout.v1.get(controller);
    return mount !== undefined && exists(join(mount, file));
  };
  return {
    cpus,
    cpusetCpus: (cpusFile === undefined ? undefined : await firstLine(cpusFile)) || `0-${cpus - 1}`,
    cpusetMems: (memsFile === undefined ? undefined : await firstLine(memsFile)) || '0',
    swapLimit: unified ? controllers.includes('memory') : await v1File('memory', 'memory.memsw.limit_in_bytes'),
    memorySwappiness: host.memorySwappiness !== false,
    blkioWeight: unified ? controllers.includes('io') : await v1File('blkio', 'blkio.weight'),
    blkioWeightDevice: unified ? controllers.includes('io') : await v1File('blkio', 'blkio.weight_device'),
  };
}

const read = new WeakMap<object, Promise<HostResources>>();

/** `readHostResources` once per host facts object: the first call reads, later calls share its answer. */
export function hostResourcesOf(host: Pick<HostFacts, 'cgroups' | 'memorySwappiness'>): Promise<HostResources> {
  let facts = read.get(host);
  if (facts === undefined) {
    facts = readHostResources(host);
    read.set(host, facts);
  }
  return facts;
}
