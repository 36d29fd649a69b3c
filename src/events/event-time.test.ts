import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventTime, unixSecondsText } from './event-time.js';

const now = new Date('2026-01-01T00:10:00Z');
const ns = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;

test('Unix seconds with a fraction, RFC 3339 with nanoseconds, durations', () => {
  assert.equal(parseEventTime('1700000000', now, 'since'), 1_700_000_000_000_000_000n);
  assert.equal(parseEventTime('1700000000.5', now, 'since'), 1_700_000_000_500_000_000n);
  assert.equal(parseEventTime('1700000000.000000001', now, 'since'), 1_700_000_000_000_000_001n);
  assert.equal(parseEventTime('2026-01-01T00:00:00Z', now, 'since'), ns('2026-01-01T00:00:00Z'));
  assert.equal(parseEventTime('2026-01-01T00:00:00.123456789Z', now, 'since'), ns('2026-01-01T00:00:00Z') + 123_456_789n);
  assert.equal(parseEventTime('2026-01-01T01:00:00+01:00', now, 'since'), ns('2026-01-01T00:00:00Z'));
  assert.equal(parseEventTime('10m', now, 'since'), ns('2026-01-01T00:00:00Z'));
  assert.equal(parseEventTime('1h30m', now, 'since'), ns('2025-12-31T22:40:00Z'));
  assert.equal(parseEventTime(undefined, now, 'since'), undefined);
  assert.equal(parseEventTime('', now, 'since'), undefined);
  assert.equal(parseEventTime('0', now, 'since'), 0n, '0 is the epoch, not unbounded');
  assert.throws(() => parseEventTime('yesterday', now, 'until'), /until: "yesterday"/);
  assert.equal(unixSecondsText(1_700_000_000_000_000_001n), '1700000000.000000001');
});
