import { Cron } from 'croner';
import { errors } from '../../base/errors.js';

/**
 * Cron expressions for scheduled jobs, read by croner: 5 fields (minute hour day-of-month month
 * day-of-week) or 6 with seconds first, or a nickname (@hourly, @daily, @weekly, @monthly,
 * @yearly, @annually); always in UTC. One-off dates, which croner also takes, are refused.
 */

const NICKNAMES = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@hourly']);

/** The parsed schedule; throws invalid-argument naming `field` for a malformed or never-firing expression. */
export function parseCron(expression: string, field: string): Cron {
  const bad = (why: string): Error => errors.invalidArgument('invalid-schedule', `service spec: field ${field}: "${expression}": ${why}`, { details: { field } });
  const text = expression.trim();
  const fields = text.split(/\s+/).length;
  if (!NICKNAMES.has(text.toLowerCase()) && fields !== 5 && fields !== 6) {
    throw bad(`a cron schedule has 5 fields (minute hour day month weekday) or 6 (seconds first), not ${String(fields)}`);
  }
  let cron: Cron;
  try {
    cron = new Cron(text, { paused: true, timezone: 'UTC' });
  } catch (err) {
    throw bad((err instanceof Error ? err.message : String(err)).replace(/^CronPattern: /, ''));
  }
  if (cron.nextRun(new Date(0)) === null) throw bad('it never fires');
  return cron;
}

/** The first time after `after` the schedule fires; undefined when it never does again. */
export function nextCronRun(expression: string, after: Date): Date | undefined {
  return parseCron(expression, 'schedule.cron').nextRun(after) ?? undefined;
}
