/**
 * A service's mode as the CLI reads it: Docker's four (replicated, global, replicated job, global
 * job), their names as the docker CLI prints them, and the labels a job's schedule travels as
 * (wire/swarm-labels.ts; Docker's ServiceSpec has no field for a schedule). Pure.
 */
import type { SwarmServiceMode } from '../../wire/swarm.js';
import { CONCURRENCY_LABEL, HISTORY_LABEL, SCHEDULE_LABEL } from '../../wire/swarm-labels.js';

export type ModeName = 'replicated' | 'global' | 'replicated job' | 'global job';

/** The docker CLI's MODE column: `replicated`, `global`, `replicated job`, `global job`. */
export function modeName(mode: SwarmServiceMode): ModeName {
  if ('Replicated' in mode) return 'replicated';
  if ('Global' in mode) return 'global';
  if ('ReplicatedJob' in mode) return 'replicated job';
  return 'global job';
}

/** Whether the mode runs its tasks to completion (a job) rather than keeping them running. */
export function isJob(mode: SwarmServiceMode): boolean {
  return 'ReplicatedJob' in mode || 'GlobalJob' in mode;
}

/** The number of slots of a replicated service or job (its replicas, or its completions); undefined for the global modes. */
export function slotCount(mode: SwarmServiceMode): number | undefined {
  if ('Replicated' in mode) return mode.Replicated.Replicas;
  if ('ReplicatedJob' in mode) return mode.ReplicatedJob.TotalCompletions;
  return undefined;
}

/** A job's schedule, read from its labels; undefined when it has none (it runs when created or updated). */
export interface JobScheduleView {
  cron: string;
  concurrency: string;
  historyLimit: string;
}

export function scheduleOf(labels: Readonly<Record<string, string>>): JobScheduleView | undefined {
  const cron = labels[SCHEDULE_LABEL];
  if (cron === undefined || cron === '') return undefined;
  return { cron, concurrency: labels[CONCURRENCY_LABEL] ?? 'forbid', historyLimit: labels[HISTORY_LABEL] ?? '3' };
}
