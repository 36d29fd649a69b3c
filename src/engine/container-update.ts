/**
 * `rename` and `update`: changes to a container's record after create. `update` changes resource
 * limits, also of a running container (through `runc update`, then recorded for later starts).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { containerResources } from '../runtime/spec/container-resources.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import type { ContainerEngine } from './container-engine.js';
import { checkContainerName } from './container-names.js';
import { isActive } from './container-record.js';

/** The options `update` may change (Docker's `docker update` flags). */
export type ResourceUpdate = Pick<ContainerOptions,
  'memory' | 'memorySwap' | 'memoryReservation' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod' | 'nanoCpus' | 'cpusetCpus' | 'cpusetMems' | 'pidsLimit'>;

export const RESOURCE_UPDATE_KEYS: readonly (keyof ResourceUpdate)[] = [
  'memory', 'memorySwap', 'memoryReservation', 'cpuShares', 'cpuQuota', 'cpuPeriod', 'nanoCpus', 'cpusetCpus', 'cpusetMems', 'pidsLimit',
];

/**
 * Gives the container a new name. Throws invalid-argument (`invalid-container-name`) for a name
 * Docker rejects, conflict (`container-name-taken`) when another container has it.
 */
export async function renameContainer(engine: ContainerEngine, ref: string, newName: string): Promise<void> {
  const name = checkContainerName(newName);
  await engine.exclusive(ref, (record) => {
    engine.store.rename(record.id, name);
    return Promise.resolve();
  });
}

/**
 * Applies new resource limits. A running (or paused) container gets them at once through
 * `runc update`; the record keeps them for every later start. Nothing changes when the new
 * limits are invalid (invalid-argument `invalid-resources`, as at create) or when the kernel
 * refuses them (internal `runc-failed`, e.g. a memory limit below current usage).
 */
export async function updateContainer(engine: ContainerEngine, ref: string, update: ResourceUpdate): Promise<void> {
  await engine.exclusive(ref, async (record) => {
    const options: ContainerOptions = { ...record.config.options };
    for (const key of RESOURCE_UPDATE_KEYS) {
      if (update[key] !== undefined) Object.assign(options, { [key]: update[key] });
    }
    const resources = containerResources(options);
    if (isActive(record.state)) {
      const { devices: _devices, ...live } = resources;
      const file = join(engine.paths.dir(record.id), 'update-resources.json');
      await writeFile(file, JSON.stringify(live));
      await engine.task.runc.update(record.id, file);
    }
    engine.store.setConfig(record.id, { ...record.config, options });
  });
}
