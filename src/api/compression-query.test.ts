import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { queryCompression } from './compression-query.js';

test('berth\'s compression parameters; none given is the route\'s default', () => {
  assert.equal(queryCompression({}), undefined);
  assert.equal(queryCompression({ tag: 'latest' }), undefined);
  assert.deepEqual(queryCompression({ compression: 'zstd' }), { format: 'zstd', level: 3 });
  assert.deepEqual(queryCompression({ compression: 'gzip', 'compression-level': '1' }), { format: 'gzip', level: 1 });
  assert.deepEqual(queryCompression({ compression: ['gzip', 'none'] }), { format: 'none' }, 'the last value counts');
});

test('a bad parameter is a 400 naming it', () => {
  assert.throws(() => queryCompression({ compression: 'lz4' }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.startsWith('compression:'));
  assert.throws(() => queryCompression({ compression: 'zstd', 'compression-level': '99' }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.startsWith('compression-level:'));
});
