import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { parseMetricsAddr } from './metrics-server.js';

test('--metrics-addr takes HOST:PORT and [v6]:PORT, and names itself when wrong', () => {
  assert.deepEqual(parseMetricsAddr('127.0.0.1:9323'), { host: '127.0.0.1', port: 9323 });
  assert.deepEqual(parseMetricsAddr('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseMetricsAddr('localhost:80'), { host: 'localhost', port: 80 });
  for (const bad of ['9323', ':9323', '127.0.0.1:', '127.0.0.1:70000', '::1:80', 'host:port']) {
    assert.throws(() => parseMetricsAddr(bad), (err) => isBerthError(err, 'invalid-argument') && /--metrics-addr/.test(String(err)), bad);
  }
});
