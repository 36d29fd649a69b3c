import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanSize, relativeTime, renderTable, shortId } from './format.js';

test('sizes use decimal units as docker prints them', () => {
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(4_260_000), '4.26MB');
  assert.equal(humanSize(123_400_000), '123MB');
  assert.equal(humanSize(1_500_000_000), '1.5GB');
});

test('relative times', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  assert.equal(relativeTime(new Date('2026-01-10T11:59:30Z'), now), '30 seconds ago');
  assert.equal(relativeTime(new Date('2026-01-10T11:00:00Z'), now), 'About an hour ago');
  assert.equal(relativeTime(new Date('2026-01-07T12:00:00Z'), now), '3 days ago');
  assert.equal(relativeTime(new Date(0), now), 'N/A');
});

test('tables align columns', () => {
  assert.equal(renderTable(['A', 'LONGER'], [['xyz', '1'], ['p', '22']]), 'A     LONGER\nxyz   1\np     22');
  assert.equal(shortId(`sha256:${'ab'.repeat(32)}`), 'abababababab');
});
