import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiTime, goDurationMs } from './time-arg.js';

test('--since/--until: Unix seconds pass, durations count back from now, dates are parsed', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  assert.equal(apiTime('1700000000', now, '--since'), '1700000000');
  assert.equal(apiTime('1700000000.25', now, '--since'), '1700000000.25');
  assert.equal(apiTime('10m', now, '--since'), `${now.getTime() / 1000 - 600}.000000000`);
  assert.equal(apiTime('1h30m', now, '--since'), `${now.getTime() / 1000 - 5400}.000000000`);
  assert.equal(apiTime('2026-01-10T11:00:00.5Z', now, '--until'), `${Date.parse('2026-01-10T11:00:00Z') / 1000}.500000000`);
  assert.throws(() => apiTime('yesterday', now, '--since'), /--since yesterday: want a timestamp/);
});

test('Go durations', () => {
  assert.equal(goDurationMs('250ms'), 250);
  assert.equal(goDurationMs('1.5h'), 5_400_000);
  assert.equal(goDurationMs('10'), undefined);
  assert.equal(goDurationMs('1d'), undefined);
});
