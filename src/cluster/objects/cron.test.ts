import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { nextCronRun, parseCron } from './cron.js';

const refusal = (expression: string, pattern: RegExp) => (err: unknown): boolean => {
  assert.ok(isBerthError(err, 'invalid-argument'), String(err));
  assert.equal(err.reason, 'invalid-schedule');
  assert.match(err.message, pattern);
  assert.ok(err.message.includes(`"${expression}"`), err.message);
  return true;
};

test('5 fields, 6 with seconds, and nicknames read in UTC', () => {
  assert.equal(nextCronRun('30 2 * * *', new Date('2026-03-01T00:00:00Z'))?.toISOString(), '2026-03-01T02:30:00.000Z');
  assert.equal(nextCronRun('*/10 * * * * *', new Date('2026-03-01T00:00:00Z'))?.toISOString(), '2026-03-01T00:00:10.000Z');
  assert.equal(nextCronRun('@daily', new Date('2026-03-01T05:00:00Z'))?.toISOString(), '2026-03-02T00:00:00.000Z');
});

test('malformed, one-off and never-firing expressions are refused naming the field', () => {
  assert.throws(() => parseCron('* * * *', 'schedule.cron'), refusal('* * * *', /schedule\.cron.*5 fields .* not 4/));
  assert.throws(() => parseCron('61 * * * *', 'schedule.cron'), refusal('61 * * * *', /minute: 61/));
  assert.throws(() => parseCron('2026-12-31T00:00:00', 'schedule.cron'), refusal('2026-12-31T00:00:00', /not 1/));
  assert.throws(() => parseCron('0 0 30 2 *', 'schedule.cron'), refusal('0 0 30 2 *', /never fires/));
});
