import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes, groupRejections, summariseRejections } from './rejection-summary.js';

test('binary sizes with one decimal', () => {
  assert.equal(formatBytes(2 * 1024 ** 3), '2 GiB');
  assert.equal(formatBytes(1.1 * 1024 ** 3), '1.1 GiB');
  assert.equal(formatBytes(512 * 1024 ** 2), '512 MiB');
  assert.equal(formatBytes(-5), '0 B');
});

test('the issue\'s example sentence', () => {
  const groups = groupRejections([
    { check: 'constraint', expression: 'node.labels.zone==eu' },
    { check: 'memory', needBytes: 2 * 1024 ** 3, freeBytes: 0.5 * 1024 ** 3 },
    { check: 'memory', needBytes: 2 * 1024 ** 3, freeBytes: 1.1 * 1024 ** 3 },
    { check: 'constraint', expression: 'node.labels.zone==eu' },
    { check: 'memory', needBytes: 2 * 1024 ** 3, freeBytes: 1 * 1024 ** 3 },
  ]);
  assert.equal(summariseRejections(groups), 'no suitable node: 3 nodes insufficient memory (need 2 GiB, largest free 1.1 GiB); 2 nodes constraint node.labels.zone==eu not met');
});
