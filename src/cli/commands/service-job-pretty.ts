/**
 * A job's part of `service inspect --pretty`, after its `Service Mode:` line: a replicated job's
 * concurrency and completions, its schedule (from its labels), and its runs (Docker's
 * JobStatus). The docker CLI prints nothing of these, so the headings are berth's, in the
 * docker CLI's style. Pure.
 */
import type { SwarmService } from '../../wire/swarm.js';
import { relativeTime } from '../format.js';
import { SECTION, type PrettyEntry } from './cluster-pretty.js';
import { isJob, scheduleOf } from './service-job-mode.js';

export function jobLines(service: SwarmService, now: Date): PrettyEntry[] {
  const mode = service.Spec.Mode;
  if (!isJob(mode)) return [];
  const schedule = scheduleOf(service.Spec.Labels);
  const status = service.JobStatus;
  const iteration = status?.JobIteration.Index ?? 0;
  return [
    ...('ReplicatedJob' in mode ? [
      [' Max Concurrent', String(mode.ReplicatedJob.MaxConcurrent)],
      [' Total Completions', String(mode.ReplicatedJob.TotalCompletions)],
    ] satisfies PrettyEntry[] : []),
    ...(schedule === undefined ? [] : [
      ['Schedule', SECTION],
      [' Cron', `${schedule.cron} (UTC)`],
      [' Concurrency', schedule.concurrency],
      [' History Limit', schedule.historyLimit],
    ] satisfies PrettyEntry[]),
    ['JobStatus', SECTION],
    [' Iteration', iteration === 0 ? '0 (not run yet)' : String(iteration)],
    [' Last Execution', status?.LastExecution === undefined ? undefined : relativeTime(new Date(status.LastExecution), now)],
    [' Message', status?.Message],
  ];
}
