import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES, capabilitiesFromMask, containerCapabilities } from './capabilities.js';

test('defaults are Docker\'s 14 capabilities', () => {
  assert.equal(DEFAULT_CAPABILITIES.length, 14);
  assert.deepEqual(containerCapabilities({}), DEFAULT_CAPABILITIES);
  assert.equal(ALL_CAPABILITIES.length, 41);
});

test('add and drop with or without CAP_, any case', () => {
  const caps = containerCapabilities({ capAdd: ['sys_admin', 'CAP_NET_ADMIN'], capDrop: ['net_raw', 'CAP_MKNOD'] });
  assert.ok(caps.includes('CAP_SYS_ADMIN') && caps.includes('CAP_NET_ADMIN'));
  assert.ok(!caps.includes('CAP_NET_RAW') && !caps.includes('CAP_MKNOD'));
  assert.equal(caps.length, 14);
});

test('ALL in capDrop keeps only capAdd; ALL in capAdd gives all minus capDrop', () => {
  assert.deepEqual(containerCapabilities({ capDrop: ['ALL'], capAdd: ['chown'] }), ['CAP_CHOWN']);
  const all = containerCapabilities({ capAdd: ['all'], capDrop: ['SYS_ADMIN'] });
  assert.equal(all.length, 40);
  assert.ok(!all.includes('CAP_SYS_ADMIN'));
});

test('privileged gets everything; unknown names are rejected naming the option', () => {
  assert.deepEqual(containerCapabilities({ privileged: true, capDrop: ['ALL'] }), ALL_CAPABILITIES);
  assert.throws(() => containerCapabilities({ capAdd: ['FLY'] }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.startsWith('capAdd'));
  assert.throws(() => containerCapabilities({ capDrop: ['CAP_NOPE'] }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.startsWith('capDrop'));
});

test('available caps limit privileged and ALL; adding an unavailable one is rejected', () => {
  const available = capabilitiesFromMask('000001fffeffffff');
  assert.equal(available.length, 40);
  assert.ok(!available.includes('CAP_SYS_RESOURCE'));
  assert.deepEqual(containerCapabilities({ privileged: true, available }), available);
  assert.ok(!containerCapabilities({ capAdd: ['ALL'], available }).includes('CAP_SYS_RESOURCE'));
  assert.throws(() => containerCapabilities({ capAdd: ['SYS_RESOURCE'], available }), (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.startsWith('capAdd'));
  assert.throws(() => capabilitiesFromMask('xyz'), (err: unknown) => isBerthError(err, 'invalid-argument'));
});
