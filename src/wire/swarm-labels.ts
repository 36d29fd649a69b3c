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
