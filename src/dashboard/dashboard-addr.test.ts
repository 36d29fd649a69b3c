import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { hostOfHeader, isLoopbackHost, parseDashboardAddr } from './dashboard-addr.js';

test('loopback addresses are accepted', () => {
  assert.deepEqual(parseDashboardAddr('127.0.0.1:9330'), { host: '127.0.0.1', port: 9330 });
  assert.deepEqual(parseDashboardAddr('[::1]:0'), { host: '::1', port: 0 });
  assert.deepEqual(parseDashboardAddr('localhost:80'), { host: 'localhost', port: 80 });
  assert.deepEqual(parseDashboardAddr('127.1.2.3:9330'), { host: '127.1.2.3', port: 9330 });
});

test('other addresses are refused, naming the flag', () => {
  for (const addr of ['0.0.0.0:9330', '192.168.1.10:9330', '[::]:9330', 'example.com:9330', '128.0.0.1:1']) {
    assert.throws(() => parseDashboardAddr(addr), (err: unknown) => isBerthError(err) && err.reason === 'dashboard-not-loopback' && err.message.includes('--dashboard-addr'), addr);
  }
  for (const addr of ['127.0.0.1', ':9330', '127.0.0.1:99999', '127.0.0.1:x']) {
    assert.throws(() => parseDashboardAddr(addr), (err: unknown) => isBerthError(err) && err.reason === 'invalid-dashboard-addr', addr);
  }
});

test('Host headers', () => {
  assert.equal(hostOfHeader('127.0.0.1:9330'), '127.0.0.1');
  assert.equal(hostOfHeader('[::1]:9330'), '::1');
  assert.equal(hostOfHeader('localhost'), 'localhost');
  assert.equal(hostOfHeader('a:b:c'), undefined);
  assert.equal(hostOfHeader(undefined), undefined);
  assert.equal(isLoopbackHost('LOCALHOST'), true);
  assert.equal(isLoopbackHost('evil.example'), false);
  assert.equal(isLoopbackHost('127.0.0.1.evil.example'), false);
});
