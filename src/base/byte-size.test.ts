import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseByteSize } from './byte-size.js';

test('Docker size syntax', () => {
  assert.equal(parseByteSize('512', 'x'), 512);
  assert.equal(parseByteSize('64k', 'x'), 65536);
  assert.equal(parseByteSize('10m', 'x'), 10 * 1024 * 1024);
  assert.equal(parseByteSize('1.5g', 'x'), 1.5 * 1024 ** 3);
  assert.equal(parseByteSize('2GB', 'x'), 2 * 1024 ** 3);
  assert.throws(() => parseByteSize('ten', 'memory'), /memory: invalid size "ten"/);
  assert.throws(() => parseByteSize('-1m', 'memory'), /invalid size/);
});
