import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheKey } from './build-cache.js';
import { parseGoDuration } from './steps/go-duration.js';

test('cache keys change with the parent, the step and each input, and parts cannot run together', () => {
  const base = { parent: 'sha256:p', step: 'RUN x', inputs: ['a:1'] };
  const key = cacheKey(base);
  assert.match(key, /^sha256:[0-9a-f]{64}$/);
  assert.equal(cacheKey({ ...base }), key);
  assert.notEqual(cacheKey({ ...base, parent: 'sha256:q' }), key);
  assert.notEqual(cacheKey({ ...base, step: 'RUN y' }), key);
  assert.notEqual(cacheKey({ ...base, inputs: ['a:2'] }), key);
  assert.notEqual(cacheKey({ parent: 'ab', step: 'c' }), cacheKey({ parent: 'a', step: 'bc' }));
});

test('Go durations', () => {
  assert.equal(parseGoDuration('30s'), 30e9);
  assert.equal(parseGoDuration('1m30s'), 90e9);
  assert.equal(parseGoDuration('1.5h'), 5400e9);
  assert.equal(parseGoDuration('250ms'), 250e6);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('5 s'), undefined);
});
