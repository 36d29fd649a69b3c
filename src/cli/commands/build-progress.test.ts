import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamLine } from './build-progress.js';

test('a stream message as a line: no newline, no classic-builder red around stderr output', () => {
  assert.equal(streamLine('Step 1/2 : FROM busybox\n'), 'Step 1/2 : FROM busybox');
  assert.equal(streamLine('\u001b[91moops\n\u001b[0m'), 'oops');
  assert.equal(streamLine('\u001b[91mno newline\u001b[0m'), 'no newline');
});
