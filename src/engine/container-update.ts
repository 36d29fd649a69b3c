/**
 * `rename` and `update`: changes to a container's record after create, made under the container's
 * lock and announced as `rename` / `update` events. `update` changes resource limits — of a
 * running container at once, through `runc update` — and the restart policy.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { containerResources } from '../runtime/spec/container-resources.js';
import type { ContainerOptions } from '../runtime/spec/container-options.js';
import type { ContainerEvents } from './container-events.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerStore } from './container-store.js';
import { runtimeOf, type TaskContext } from './container-task.js';
import { checkContainerName } from './container-names.js';
import { isActive, type ContainerConfig, type ContainerRecord } from './container-record.js';
import { checkRestartPolicy } from './restart/restart-policy.js';

/** The options `update` may change (Docker's `docker update` flags). */
export type ResourceUpdate = Pick<ContainerOptions,
  'memory' | 'memorySwap' | 'memoryReservation' | 'cpuShares' | 'cpuQuota' | 'cpuPeriod' | 'nanoCpus' | 'cpusetCpus' | 'cpusetMems' | 'pidsLimit'>;

export const RESOURCE_UPDATE_KEYS: readonly (keyof ResourceUpdate)[] = [
  'memory', 'memorySwap', 'memoryReservation', 'cpuShares', 'cpuQuota', 'cpuPeriod', 'nanoCpus', 'cpusetCpus', 'cpusetMems', 'pidsLimit',
];

export interface ContainerUpdate {
  resources?: ResourceUpdate;
  /** As given (checked here as at create): `on-failure` with a retry count, `always`, … */
  restartPolicy?: { name: string; maximumRetryCount: number };
}

/** What `rename` and `update` need of the engine. */
export interface UpdateContext {
  store: ContainerStore;
  paths: ContainerPaths;
  events: ContainerEvents;
  task: Pick<TaskContext, 'runtimes'>;
  /** Runs `fn` under the container's lock with its current record. */
  exclusive<T>(ref: string, fn: (record: ContainerRecord) => Promise<T>): Promise<T>;
}

/**
 * Gives the container a new name. Throws not-found (`no-such-container`), invalid-argument
 * (`invalid-container-name`) for a name Docker rejects, conflict (`container-name-taken`) when
 * another container has it.
 */
export async function renameContainer(ctx: UpdateContext, ref: string, requested: string): Promise<void> {
  const name = checkContainerName(requested);
  await ctx.exclusive(ref, (record) => {
    if (name !== record.name) {
      ctx.store.rename(record.id, name);
      ctx.events.emit('action', record.id, 'rename', { oldName: `/${record.name}` });
    }
    return Promise.resolve();
  });
}

/**
 * Applies new resource limits and/or restart policy. Nothing changes when the new limits are
 * invalid (invalid-argument `invalid-resources`, as at create), the policy is (`invalid-restart-policy`,
 * e.g. with `--rm`), or the kernel refuses the limits (internal `runc-failed`, e.g. a memory limit
 * below current usage). A running (or paused) container gets the limits at once; the record keeps
 * them for every later start.
 */
export async function updateContainer(ctx: UpdateContext, ref: string, update: ContainerUpdate): Promise<void> {
  await ctx.exclusive(ref, async (record) => {
    const config: ContainerConfig = { ...record.config, options: withResources(record.config.options, update.resources ?? {}) };
    if (update.restartPolicy !== undefined) {
      const policy = checkRestartPolicy(update.restartPolicy.name, update.restartPolicy.maximumRetryCount, record.config.autoRemove);
      if (policy.name === 'no') delete config.restartPolicy;
      else config.restartPolicy = policy;
    }
    const resources = containerResources(config.options);
    if (update.resources !== undefined && Object.keys(update.resources).length > 0 && isActive(record.state)) {
      const { devices: _devices, ...live } = resources;
      const file = join(ctx.paths.dir(record.id), 'update-resources.json');
      await writeFile(file, JSON.stringify(live));
      await runtimeOf(ctx.task, record).cli.update(record.id, file);
    }
    ctx.store.setConfig(record.id, config);
    ctx.events.emit('action', record.id, 'update', {});
  });
}

function withResources(current: ContainerOptions, update: ResourceUpdate): ContainerOptions {
  const options: ContainerOptions = { ...current };
  for (const key of RESOURCE_UPDATE_KEYS) {
    if (update[key] !== undefined) Object.assign(options, { [key]: update[key] });
  }
  return options;
}
