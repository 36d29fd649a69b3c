/**
 * The mode flags of `service create|update|scale`, jobs included, as the docker CLI reads them:
 * `--mode replicated|global|replicated-job|global-job`, `--replicas` (a replicated job's
 * TotalCompletions), `--max-concurrent` (a replicated job's MaxConcurrent, by default its
 * replicas), and berth's schedule flags, which become the labels of service-job-mode.ts. Pure;
 * a wrong combination throws invalid-argument (`invalid-flag`) naming the flag.
 */
import type { OptionSpec } from '../args/command-spec.js';
import type { SwarmServiceMode, SwarmServiceSpecInput } from '../../wire/swarm.js';
import { badFlag as bad, count } from './service-flag-values.js';
import { CONCURRENCY_LABEL, HISTORY_LABEL, SCHEDULE_LABEL } from '../../wire/swarm-labels.js';
import type { RollingFlags } from './service-rolling-flags.js';

/** The job flags (camelCased long names). */
export interface JobFlags {
  maxConcurrent?: string;
  schedule?: string;
  scheduleConcurrency?: string;
  scheduleHistory?: string;
}

/** The flags that choose a new service's mode. */
export interface ModeFlags extends JobFlags {
  mode?: string;
  replicas?: string;
  replicasMaxPerNode?: string;
}

const SCHEDULE_OPTIONS: OptionSpec[] = [
  { flags: '--schedule <cron>', description: 'a job: run on this cron schedule (UTC; 5 fields, 6 with seconds first, or @hourly, @daily, …) instead of once, when created or updated' },
  { flags: '--schedule-concurrency <policy>', description: 'a scheduled job\'s run due while the previous one goes on: forbid (default: skipped), replace (the previous one stops) or allow' },
  { flags: '--schedule-history <n>', description: 'earlier runs of a scheduled job that keep their tasks (default 3)' },
];

/** The options `service create` adds for jobs (`--mode` itself is with the others). */
export const JOB_CREATE_OPTIONS: OptionSpec[] = [
  { flags: '--max-concurrent <n>', description: 'a replicated job: tasks run at once (default: --replicas)' },
  ...SCHEDULE_OPTIONS,
];

/** Those of `service update`. */
export const JOB_UPDATE_OPTIONS: OptionSpec[] = [
  { flags: '--max-concurrent <n>', description: 'a replicated job: tasks run at once' },
  ...SCHEDULE_OPTIONS,
];

const MODES = ['replicated', 'global', 'replicated-job', 'global-job'] as const;
const CONCURRENCY = ['forbid', 'replace', 'allow'] as const;
const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

const NO_REPLICAS = 'only a replicated service or job has replicas (a global one runs one task per node)';
const NO_MAX_CONCURRENT = 'only a replicated job (--mode replicated-job) runs a number of tasks at once';

/** A count of at least 1 (a replicated job's completions or concurrency). */
function positive(value: string | undefined, flag: string): number | undefined {
  const n = count(value, flag);
  if (n === 0) throw bad(flag, value ?? '', 'a replicated job needs at least 1');
  return n;
}

/** Whether a Mode as sent (`serviceModeFromFlags`'s) is a job's. */
export function isJobBody(mode: NonNullable<SwarmServiceSpecInput['Mode']>): boolean {
  return mode.ReplicatedJob != null || mode.GlobalJob != null;
}

/** The new service's Mode; wrong combinations are refused naming the flag, as the docker CLI does. */
export function serviceModeFromFlags(flags: ModeFlags): NonNullable<SwarmServiceSpecInput['Mode']> {
  const mode = MODES.find((m) => m === (flags.mode ?? 'replicated'));
  if (mode === undefined) throw bad('--mode', flags.mode ?? '', `want ${MODES.join(', ')}`);
  const global = mode === 'global' || mode === 'global-job';
  if (global && flags.replicas !== undefined) throw bad('--replicas', flags.replicas, NO_REPLICAS);
  if (global && flags.replicasMaxPerNode !== undefined) throw bad('--replicas-max-per-node', flags.replicasMaxPerNode, 'only a replicated service or job has a per-node maximum');
  if (mode !== 'replicated-job' && flags.maxConcurrent !== undefined) throw bad('--max-concurrent', flags.maxConcurrent, NO_MAX_CONCURRENT);
  switch (mode) {
    case 'replicated': return { Replicated: { Replicas: count(flags.replicas, '--replicas') ?? 1 } };
    case 'global': return { Global: {} };
    case 'global-job': return { GlobalJob: {} };
    case 'replicated-job': {
      // The docker CLI's defaults: MaxConcurrent is the replicas; TotalCompletions (left out) is MaxConcurrent.
      const total = positive(flags.replicas, '--replicas');
      const concurrent = positive(flags.maxConcurrent, '--max-concurrent');
      return { ReplicatedJob: { MaxConcurrent: concurrent ?? total ?? 1, TotalCompletions: total ?? concurrent ?? 1 } };
    }
  }
}

/** `--schedule`: the shape berthd reads (it checks the fields themselves and refuses one that never fires). */
function cronExpression(value: string): string {
  const text = value.trim();
  const fields = text === '' ? 0 : text.split(/\s+/).length;
  if (!NICKNAMES.has(text.toLowerCase()) && fields !== 5 && fields !== 6) {
    throw bad('--schedule', JSON.stringify(value), `want a cron expression of 5 fields (minute hour day month weekday) or 6 (seconds first), or @hourly, @daily, @weekly, @monthly, @yearly; not ${String(fields)} fields`);
  }
  return text;
}

/**
 * The labels with the schedule flags applied (`current`: the labels the service has). The
 * schedule flags need a job; `--schedule-concurrency` and `--schedule-history` need a schedule
 * (given, or the service's).
 */
export function scheduleLabels(current: Readonly<Record<string, string>>, job: boolean, flags: JobFlags): Record<string, string> {
  const labels = { ...current };
  const given: [string, string | undefined][] = [['--schedule', flags.schedule], ['--schedule-concurrency', flags.scheduleConcurrency], ['--schedule-history', flags.scheduleHistory]];
  const first = given.find((entry): entry is [string, string] => entry[1] !== undefined);
  if (first === undefined) return labels;
  if (!job) throw bad(first[0], first[1], 'only a job (--mode replicated-job or global-job) runs on a schedule');
  if (flags.schedule !== undefined) labels[SCHEDULE_LABEL] = cronExpression(flags.schedule);
  if ((labels[SCHEDULE_LABEL] ?? '') === '') throw bad(first[0], first[1], 'only a scheduled job takes it (give --schedule too)');
  if (flags.scheduleConcurrency !== undefined) {
    const policy = CONCURRENCY.find((c) => c === flags.scheduleConcurrency);
    if (policy === undefined) throw bad('--schedule-concurrency', flags.scheduleConcurrency, `want ${CONCURRENCY.join(', ')}`);
    labels[CONCURRENCY_LABEL] = policy;
  }
  const history = count(flags.scheduleHistory, '--schedule-history');
  if (history !== undefined) {
    if (history > 100) throw bad('--schedule-history', flags.scheduleHistory ?? '', 'want at most 100 earlier runs');
    labels[HISTORY_LABEL] = String(history);
  }
  return labels;
}

/** `--update-parallelism` from `updateParallelism`. */
const flagName = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** A job has no rolling updates: its `--update-*` and `--rollback-*` flags are refused, as the docker CLI does. */
export function refuseRollingFlags(flags: RollingFlags, job: boolean): void {
  if (!job) return;
  const given = Object.entries(flags).find(([key, value]) => /^(update|rollback)[A-Z]/.test(key) && typeof value === 'string');
  if (given !== undefined) throw bad(flagName(given[0]), String(given[1]), 'update and rollback configuration is not supported for jobs (a job\'s update starts a new run)');
}

/**
 * The mode with `service update`'s `--replicas` and `--max-concurrent` applied: a replicated
 * service's replicas, a replicated job's TotalCompletions and MaxConcurrent.
 */
export function updatedMode(mode: SwarmServiceMode, flags: { replicas?: string; maxConcurrent?: string }): SwarmServiceMode {
  let next = mode;
  if (flags.replicas !== undefined) {
    if ('Replicated' in next) next = { Replicated: { Replicas: count(flags.replicas, '--replicas') ?? 0 } };
    else if ('ReplicatedJob' in next) next = { ReplicatedJob: { ...next.ReplicatedJob, TotalCompletions: positive(flags.replicas, '--replicas') ?? 1 } };
    else throw bad('--replicas', flags.replicas, NO_REPLICAS);
  }
  if (flags.maxConcurrent !== undefined) {
    if (!('ReplicatedJob' in next)) throw bad('--max-concurrent', flags.maxConcurrent, NO_MAX_CONCURRENT);
    next = { ReplicatedJob: { ...next.ReplicatedJob, MaxConcurrent: positive(flags.maxConcurrent, '--max-concurrent') ?? 1 } };
  }
  return next;
}
