import type { Service } from './service.js';
import type { Task } from './task.js';

/**
 * What dockerd's `ServiceStatus.DesiredTasks` says: the replicas (replicated), the tasks desired
 * running (global), a replicated job's concurrency (MaxConcurrent, at most TotalCompletions) or a
 * global job's tasks of its current run still to finish.
 */
export function desiredTasks(service: Service, own: readonly Task[]): number {
  const { mode } = service.spec;
  switch (mode.kind) {
    case 'replicated': return mode.replicas;
    case 'global': return own.filter((task) => task.desiredState === 'running').length;
    case 'replicated-job': return Math.min(mode.maxConcurrent, mode.totalCompletions);
    case 'global-job': {
      const iteration = service.jobStatus?.iteration;
      return own.filter((task) => iteration !== undefined && task.jobIteration === iteration && task.desiredState === 'complete' && task.status.state !== 'complete').length;
    }
  }
}
