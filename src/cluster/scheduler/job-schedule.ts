import { nextCronRun } from '../objects/cron.js';
import type { JobStatus, Service } from '../objects/service.js';

/** What the schedule decided for one job in one pass. */
export interface ScheduledRun {
  /** The job's new status when the schedule fired: a new run, or a skipped one (`forbid`) with why. */
  readonly jobStatus?: JobStatus;
  /** When to decide again: the next time the schedule fires, in milliseconds from now. */
  readonly wakeupMs?: number;
}

/** The next time a scheduled job fires: after its last firing (or its creation). */
export function nextScheduledRun(service: Service): Date | undefined {
  const schedule = service.spec.schedule;
  if (schedule === undefined) return undefined;
  return nextCronRun(schedule.cron, new Date(service.jobStatus?.lastSchedule ?? service.createdAt));
}

/**
 * A scheduled job's next run (Kubernetes' CronJob, level-based): once the schedule's next time
 * after its last firing has come, it fires once, however many times were missed (a leader that
 * was down does not run a backlog). Firing starts a new run (the iteration counts up, the run's
 * start is `now`), unless the concurrency policy is `forbid` and `previousRunGoing`: then the run
 * is skipped and the status says why. Either way the firing is recorded, so the next is counted
 * from `now`. Pure.
 */
export function planScheduledRun(service: Service, previousRunGoing: boolean, now: Date): ScheduledRun {
  const schedule = service.spec.schedule;
  const due = nextScheduledRun(service);
  if (schedule === undefined || due === undefined) return {};
  if (due > now) return { wakeupMs: due.getTime() - now.getTime() };
  const status = service.jobStatus ?? { iteration: 0, message: '' };
  const at = now.toISOString();
  const next = nextCronRun(schedule.cron, now);
  const wakeup = next === undefined ? {} : { wakeupMs: next.getTime() - now.getTime() };
  if (schedule.concurrency === 'forbid' && previousRunGoing) {
    return { jobStatus: { ...status, lastSchedule: at, message: `run due at ${due.toISOString()} skipped: run ${String(status.iteration)} is still going (concurrency forbid)` }, ...wakeup };
  }
  return { jobStatus: { iteration: status.iteration + 1, lastExecution: at, lastSchedule: at, message: '' }, ...wakeup };
}
