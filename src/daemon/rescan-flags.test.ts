import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { RESCAN_FLAG_DEFAULTS, rescanSettings } from './rescan-flags.js';

test('defaults: floor HIGH, full rescans every 6h, checks every 10s', () => {
  assert.deepEqual(rescanSettings(RESCAN_FLAG_DEFAULTS), { floor: 'HIGH', rescanIntervalMs: 6 * 3_600_000, checkIntervalMs: 10_000 });
});

test('any case of a floor; 0 turns scheduled rescans off; Go durations', () => {
  assert.deepEqual(rescanSettings({ rescanSeverity: 'medium', rescanInterval: '0', rescanCheckInterval: '250ms' }), { floor: 'MEDIUM', rescanIntervalMs: 0, checkIntervalMs: 250 });
  assert.equal(rescanSettings({ ...RESCAN_FLAG_DEFAULTS, rescanInterval: '1h30m' }).rescanIntervalMs, 5_400_000);
});

test('bad values are refused naming the flag', () => {
  const cases: [Partial<typeof RESCAN_FLAG_DEFAULTS>, RegExp][] = [
    [{ rescanSeverity: 'UNKNOWN' }, /^--rescan-severity UNKNOWN: want LOW, MEDIUM, HIGH, CRITICAL$/],
    [{ rescanSeverity: 'severe' }, /^--rescan-severity severe/],
    [{ rescanInterval: '6' }, /^--rescan-interval 6: want a duration/],
    [{ rescanInterval: '1ns' }, /^--rescan-interval 1ns/],
    [{ rescanCheckInterval: '0' }, /^--rescan-check-interval 0: want a duration of at least 1ms/],
    [{ rescanCheckInterval: 'soon' }, /^--rescan-check-interval soon/],
  ];
  for (const [flags, message] of cases) {
    assert.throws(() => rescanSettings({ ...RESCAN_FLAG_DEFAULTS, ...flags }), (err: unknown) => isBerthError(err, 'invalid-argument') && message.test(err.message));
  }
});
