import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeService, T0 } from '../../../test/support/cluster-fixtures.js';
import type { JobSchedule, JobStatus, Service } from '../objects/service.js';
import { planScheduledRun } from './job-schedule.js';

const at = (iso: string): Date => new Date(iso);

function scheduled(schedule: Partial<JobSchedule>, status?: JobStatus): Service {
  const service = makeService('nightly', { mode: { kind: 'replicated-job' }, schedule: { cron: '*/5 * * * *', ...schedule } });
  return { ...service, ...(status === undefined ? {} : { jobStatus: status }) };
}

test('before its time a scheduled job only asks to be woken when it fires', () => {
  const plan = planScheduledRun(scheduled({}, { iteration: 0, message: '' }), false, at('2026-01-01T00:03:00Z'));
  assert.deepEqual(plan, { wakeupMs: 2 * 60_000 });
});

test('when it fires a new run starts, counted from now, and the next firing is asked for', () => {
  const now = at('2026-01-01T00:05:00.250Z');
  const plan = planScheduledRun(scheduled({}, { iteration: 0, message: '' }), false, now);
  assert.deepEqual(plan.jobStatus, { iteration: 1, lastExecution: now.toISOString(), lastSchedule: now.toISOString(), message: '' });
  assert.equal(plan.wakeupMs, 5 * 60_000 - 250);
});

test('a leader that missed many firings runs the job once, not the backlog', () => {
  const service = scheduled({}, { iteration: 3, lastSchedule: T0.toISOString(), message: '' });
  const now = at('2026-01-01T10:00:01Z');
  const plan = planScheduledRun(service, false, now);
  assert.equal(plan.jobStatus?.iteration, 4);
  const after = { ...service, jobStatus: plan.jobStatus ?? { iteration: 0, message: '' } };
  assert.equal(planScheduledRun(after, false, now).jobStatus, undefined, 'nothing more until the next time');
});

test('concurrency forbid skips a firing while the previous run goes on, and says why; allow and replace start the run', () => {
  const now = at('2026-01-01T00:05:00Z');
  const status = { iteration: 2, lastSchedule: T0.toISOString(), message: '' };
  const skipped = planScheduledRun(scheduled({ concurrency: 'forbid' }, status), true, now).jobStatus;
  assert.equal(skipped?.iteration, 2);
  assert.equal(skipped.lastSchedule, now.toISOString());
  assert.match(skipped.message, /skipped: run 2 is still going \(concurrency forbid\)/);
  assert.equal(planScheduledRun(scheduled({ concurrency: 'allow' }, status), true, now).jobStatus?.iteration, 3);
  assert.equal(planScheduledRun(scheduled({ concurrency: 'replace' }, status), true, now).jobStatus?.iteration, 3);
});

test('six fields count seconds', () => {
  const plan = planScheduledRun(scheduled({ cron: '*/2 * * * * *' }, { iteration: 0, lastSchedule: T0.toISOString(), message: '' }), false, at('2026-01-01T00:00:01Z'));
  assert.deepEqual(plan, { wakeupMs: 1000 });
});
