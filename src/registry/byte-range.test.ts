import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { parseContentRange, parseRangeHeader, uploadRangeHeader } from './byte-range.js';

const reasonOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (err) {
    return isBerthError(err) ? err.reason : 'other';
  }
  return undefined;
};

test('Range header: forms of one range over a 100-byte blob', () => {
  assert.equal(parseRangeHeader(undefined, 100), undefined);
  assert.deepEqual(parseRangeHeader('bytes=0-9', 100), { start: 0, end: 9 });
  assert.deepEqual(parseRangeHeader('bytes=90-', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRangeHeader('bytes=-10', 100), { start: 90, end: 99 });
  assert.deepEqual(parseRangeHeader('bytes=-500', 100), { start: 0, end: 99 });
  assert.deepEqual(parseRangeHeader('bytes=50-1000', 100), { start: 50, end: 99 });
  assert.equal(parseRangeHeader('items=1-2', 100), undefined);
});

test('Range header: unsatisfiable ranges are RANGE_INVALID', () => {
  assert.equal(reasonOf(() => parseRangeHeader('bytes=100-', 100)), 'RANGE_INVALID');
  assert.equal(reasonOf(() => parseRangeHeader('bytes=9-3', 100)), 'RANGE_INVALID');
  assert.equal(reasonOf(() => parseRangeHeader('bytes=-0', 100)), 'RANGE_INVALID');
  assert.equal(reasonOf(() => parseRangeHeader('bytes=0-1,5-6', 100)), 'RANGE_INVALID');
  assert.equal(reasonOf(() => parseRangeHeader('bytes=-', 100)), 'RANGE_INVALID');
});

test('Content-Range of an upload chunk', () => {
  assert.equal(parseContentRange(undefined), undefined);
  assert.deepEqual(parseContentRange('0-99'), { start: 0, end: 99 });
  assert.deepEqual(parseContentRange('bytes 100-199/*'), { start: 100, end: 199 });
  assert.equal(reasonOf(() => parseContentRange('abc')), 'RANGE_INVALID');
  assert.equal(reasonOf(() => parseContentRange('10-5')), 'RANGE_INVALID');
});

test('upload Range header', () => {
  assert.equal(uploadRangeHeader(0), '0-0');
  assert.equal(uploadRangeHeader(100), '0-99');
});
