import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pullReference } from './pull-push.js';

test('fromImage and tag as the docker CLI sends them', () => {
  assert.equal(pullReference('busybox', 'latest'), 'busybox:latest');
  assert.equal(pullReference('127.0.0.1:5000/a/b', '1.2'), '127.0.0.1:5000/a/b:1.2');
  assert.equal(pullReference('busybox', `sha256:${'a'.repeat(64)}`), `busybox@sha256:${'a'.repeat(64)}`);
  assert.equal(pullReference('busybox:1', undefined), 'busybox:1');
  assert.equal(pullReference('busybox', ''), 'busybox');
});
