/**
 * What this node's running task containers use, for the autoscaler (the `task-usage` route): CPU
 * as the rate between the two samples of berthd's stats answer (`stream=false` takes them about a
 * second apart), in billionths of a CPU; memory as the working set (usage less the inactive file
 * cache, as the docker CLI counts it). A container whose stats cannot be read (it just ended) is
 * left out. Read through berthd's API, the containers in parallel.
 */
import { isBerthError } from '../../base/errors.js';
import type { BerthClient } from '../../client/berth-client.js';
import type { ContainerStats } from '../../wire/container-stats.js';
import type { TaskUsage } from '../scheduler/autoscale.js';
import { TASK_ID_LABEL } from './task-container-config.js';

/** One container's usage from its stats answer; undefined without two CPU samples. Pure. */
export function usageOf(taskId: string, stats: ContainerStats): TaskUsage | undefined {
  const elapsedNs = (Date.parse(stats.read) - Date.parse(stats.preread)) * 1e6;
  const cpuNs = stats.cpu_stats.cpu_usage.total_usage - stats.precpu_stats.cpu_usage.total_usage;
  if (!(elapsedNs > 0) || cpuNs < 0) return undefined;
  const memory = stats.memory_stats;
  const inactive = memory.stats?.['total_inactive_file'] ?? memory.stats?.['inactive_file'] ?? 0;
  return { taskId, cpuNanos: Math.round((cpuNs / elapsedNs) * 1e9), memoryBytes: Math.max(0, (memory.usage ?? 0) - inactive) };
}

export class TaskUsageMeter {
  constructor(private readonly client: BerthClient) {}

  async taskUsage(): Promise<TaskUsage[]> {
    const containers = await this.client.containers.list({ all: false, filters: { label: [TASK_ID_LABEL] } });
    const usage = await Promise.all(containers.map(async (container) => {
      const taskId = container.Labels[TASK_ID_LABEL];
      if (taskId === undefined || taskId === '') return undefined;
      try {
        return usageOf(taskId, await this.client.containers.stats(container.Id));
      } catch (err) {
        // It ended (and went) between the listing and the stats: nothing to measure.
        if (isBerthError(err, 'not-found') || isBerthError(err, 'conflict')) return undefined;
        throw err;
      }
    }));
    return usage.filter((u): u is TaskUsage => u !== undefined);
  }
}
