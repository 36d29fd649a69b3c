/**
 * Service labels that carry berth's cluster settings Docker's ServiceSpec has no field for: the
 * docker CLI keeps a service's labels through `service update`, and `docker service create
 * --label` sets them. berthd reads them into the service's spec and shows them back as labels.
 */

/** The cron expression of a scheduled job (5 fields, or 6 with seconds first; UTC). */
export const SCHEDULE_LABEL = 'berth.job.schedule';
/** What a scheduled run does while the previous run goes on: forbid (default), replace or allow. */
export const CONCURRENCY_LABEL = 'berth.job.concurrency';
/** How many earlier runs keep their tasks (default 3). */
export const HISTORY_LABEL = 'berth.job.history-limit';

/** An autoscaled service's fewest replicas (default 1). */
export const AUTOSCALE_MIN_LABEL = 'berth.autoscale.min';
/** Its most replicas (required to autoscale). */
export const AUTOSCALE_MAX_LABEL = 'berth.autoscale.max';
/** The average CPU use per task to keep, in percent of a task's CPU reservation (else its limit, else one CPU). */
export const AUTOSCALE_CPU_LABEL = 'berth.autoscale.cpu';
/** The average memory use per task to keep, in percent of a task's memory limit (else its reservation). */
export const AUTOSCALE_MEMORY_LABEL = 'berth.autoscale.memory';
/** How long a lower replica count must be recommended before the service scales down (a Go duration; default 5m). */
export const AUTOSCALE_DELAY_LABEL = 'berth.autoscale.scale-down-delay';

/** A canary update: this many tasks (`2`) or this share of them (`25%`) first, then a hold until `service promote`. */
export const CANARY_LABEL = 'berth.update.canary';
/** `true`: the canary goes on by itself once its tasks ran clean for the update's monitor window. */
export const CANARY_AUTO_PROMOTE_LABEL = 'berth.update.canary-auto-promote';

/** Every autoscaling label. */
export const AUTOSCALE_LABELS: readonly string[] = [AUTOSCALE_MIN_LABEL, AUTOSCALE_MAX_LABEL, AUTOSCALE_CPU_LABEL, AUTOSCALE_MEMORY_LABEL, AUTOSCALE_DELAY_LABEL];

/** A canary size as the label writes it: a count of tasks (`2`) or a share (`25%`); undefined when it is neither. */
export function parseCanarySize(value: string): { count: number } | { percent: number } | undefined {
  const match = /^([1-9]\d{0,3})(%?)$/.exec(value);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  if (match[2] !== '%') return { count: amount };
  return amount > 100 ? undefined : { percent: amount };
}

/** A disruption limit: a drain or a stop-first update never leaves fewer running tasks than this. */
export const MIN_AVAILABLE_LABEL = 'berth.min-available';
