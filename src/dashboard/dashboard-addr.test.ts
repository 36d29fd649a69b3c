import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { canonicalIp, hostOfHeader, isLoopbackHost, isWildcardHost, parseDashboardAddr } from './dashboard-addr.js';

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

test('with TLS any address is accepted; without, the refusal says how to serve it or reach it', () => {
  assert.deepEqual(parseDashboardAddr('0.0.0.0:9330', { tls: true }), { host: '0.0.0.0', port: 9330 });
  assert.deepEqual(parseDashboardAddr('[::]:0', { tls: true }), { host: '::', port: 0 });
  assert.deepEqual(parseDashboardAddr('192.168.1.10:9330', { tls: true }), { host: '192.168.1.10', port: 9330 });
  assert.deepEqual(parseDashboardAddr('dash.lan:443', { tls: true }), { host: 'dash.lan', port: 443 });
  assert.throws(() => parseDashboardAddr('0.0.0.0', { tls: true }), (err: unknown) => isBerthError(err) && err.reason === 'invalid-dashboard-addr');
  assert.throws(() => parseDashboardAddr('192.168.1.10:9330', { tls: false }), (err: unknown) => isBerthError(err) && /--dashboard-tls-cert and --dashboard-tls-key/.test(err.message) && /SSH tunnel/.test(err.message));
});

test('wildcard and canonical addresses', () => {
  for (const host of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0']) assert.equal(isWildcardHost(host), true, host);
  for (const host of ['127.0.0.1', '::1', 'localhost', '0.0.0.1']) assert.equal(isWildcardHost(host), false, host);
  assert.equal(canonicalIp('FD00:0:0:0:0:0:0:7'), 'fd00::7');
  assert.equal(canonicalIp('10.0.0.1'), '10.0.0.1');
  assert.equal(canonicalIp('fe80::1%eth0'), 'fe80::1%eth0');
  assert.equal(canonicalIp('dash.test'), undefined);
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
