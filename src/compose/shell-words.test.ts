import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shellWords } from './shell-words.js';
import { durationNs, sizeBytes } from './units.js';

test('command strings split as a shell would, without expansion', () => {
  assert.deepEqual(shellWords(`sh -c 'echo "$HOME" && exit 3'`, 'c'), ['sh', '-c', 'echo "$HOME" && exit 3']);
  assert.deepEqual(shellWords(`a "b c" d\\ e ''`, 'c'), ['a', 'b c', 'd e', '']);
  assert.throws(() => shellWords(`echo 'open`, 'services.a.command'), /services\.a\.command: unterminated quote/);
});

test('durations and sizes in compose units', () => {
  assert.equal(durationNs('1m30s', ['x']), 90e9);
  assert.equal(durationNs('500ms', ['x']), 5e8);
  assert.equal(durationNs('1h2m3.5s', ['x']), 3723.5e9);
  assert.throws(() => durationNs('10', ['services', 'a', 'healthcheck', 'interval']), /services\.a\.healthcheck\.interval: invalid duration "10"/);
  assert.equal(sizeBytes('64m', ['x']), 64 * 1024 ** 2);
  assert.equal(sizeBytes('1gb', ['x']), 1024 ** 3);
  assert.equal(sizeBytes(2048, ['x']), 2048);
  assert.throws(() => sizeBytes('lots', ['x']), /invalid size/);
});
