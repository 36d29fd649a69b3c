/**
 * Jobs in Docker's shapes: the four service modes, a job's JobStatus and a task's JobIteration.
 * A job's schedule has no field in Docker's ServiceSpec, so it travels as service labels
 * (`berth.job.schedule`, `berth.job.concurrency`, `berth.job.history-limit`): the docker CLI
 * keeps them through `service update`, and `docker service create --label berth.job.schedule=…`
 * schedules a job. The cluster keeps the schedule as a field; these convert both ways.
 */
import { errors } from '../base/errors.js';
import type { JobSchedule, JobStatus, ServiceMode } from '../cluster/objects/index.js';
import type { SwarmJobStatus, SwarmServiceMode, SwarmServiceSpecInput } from '../wire/swarm.js';
import { CONCURRENCY_LABEL, HISTORY_LABEL, SCHEDULE_LABEL } from '../wire/swarm-labels.js';


type ModeBody = NonNullable<SwarmServiceSpecInput['Mode']>;

/** Docker's Mode as the cluster's (unvalidated: `parseServiceSpec` checks it); 400 when two modes are set. */
export function modeFromBody(mode: ModeBody | null | undefined): Record<string, unknown> {
  const set = (['Replicated', 'Global', 'ReplicatedJob', 'GlobalJob'] as const).filter((key) => mode?.[key] != null);
  if (set.length > 1) throw errors.invalidArgument('unsupported-service-field', `Mode: a service has one mode, not ${set.join(' and ')}`, { details: { field: 'Mode' } });
  if (mode?.Global != null) return { kind: 'global' };
  if (mode?.GlobalJob != null) return { kind: 'global-job' };
  const job = mode?.ReplicatedJob;
  if (job != null) {
    // Docker's defaults: MaxConcurrent 1, TotalCompletions as MaxConcurrent.
    const maxConcurrent = job.MaxConcurrent || 1;
    return { kind: 'replicated-job', maxConcurrent, totalCompletions: job.TotalCompletions || maxConcurrent };
  }
  return { kind: 'replicated', replicas: mode?.Replicated?.Replicas ?? 1 };
}

export function modeView(mode: ServiceMode): SwarmServiceMode {
  switch (mode.kind) {
    case 'replicated': return { Replicated: { Replicas: mode.replicas } };
    case 'global': return { Global: {} };
    case 'replicated-job': return { ReplicatedJob: { MaxConcurrent: mode.maxConcurrent, TotalCompletions: mode.totalCompletions } };
    case 'global-job': return { GlobalJob: {} };
  }
}

/** The labels a schedule travels as. */
export function scheduleLabels(schedule: JobSchedule | undefined): Record<string, string> {
  if (schedule === undefined) return {};
  return { [SCHEDULE_LABEL]: schedule.cron, [CONCURRENCY_LABEL]: schedule.concurrency, [HISTORY_LABEL]: String(schedule.historyLimit) };
}

/**
 * A body's labels split into the service's own and its schedule (unvalidated, but a history
 * limit that is not a whole number is refused, naming the label). The concurrency and history
 * labels without a schedule are refused: they would do nothing.
 */
export function scheduleFromLabels(labels: Readonly<Record<string, string>>): { labels: Record<string, string>; schedule?: Record<string, unknown> } {
  const { [SCHEDULE_LABEL]: cron, [CONCURRENCY_LABEL]: concurrency, [HISTORY_LABEL]: history, ...own } = labels;
  const bad = (label: string, why: string): Error =>
    errors.invalidArgument('invalid-schedule', `Labels.${label}: ${why}`, { details: { field: `Labels.${label}` } });
  if (cron === undefined || cron === '') {
    const stray = [CONCURRENCY_LABEL, HISTORY_LABEL].find((label) => labels[label] !== undefined);
    if (stray !== undefined) throw bad(stray, `only a scheduled job (label ${SCHEDULE_LABEL}) takes it`);
    return { labels: own };
  }
  if (history !== undefined && !/^\d{1,3}$/.test(history)) throw bad(HISTORY_LABEL, `"${history}": want a whole number of earlier runs to keep (0 to 100)`);
  return {
    labels: own,
    schedule: { cron, ...(concurrency === undefined ? {} : { concurrency }), ...(history === undefined ? {} : { historyLimit: Number(history) }) },
  };
}

export function jobStatusView(status: JobStatus): SwarmJobStatus {
  return {
    JobIteration: { Index: status.iteration },
    ...(status.lastExecution === undefined ? {} : { LastExecution: status.lastExecution }),
    ...(status.message === '' ? {} : { Message: status.message }),
  };
}
