import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bridgeOptions } from './network-options.js';

test('defaults: ICC and masquerade on, no MTU, no limits, no sysctls', () => {
  assert.deepEqual(bridgeOptions({}), { icc: true, ipMasquerade: true, hostBinding: '', sysctls: {} });
  assert.deepEqual(bridgeOptions({ 'com.docker.network.bridge.name': 'x', other: 'kept' }), { icc: true, ipMasquerade: true, hostBinding: '', sysctls: {} });
  assert.equal(bridgeOptions({ 'com.docker.network.bridge.host_binding_ipv4': '127.0.0.1' }).hostBinding, '127.0.0.1');
});

test('rates with units; the burst is a tenth of a second, at least 64 KiB', () => {
  assert.deepEqual(bridgeOptions({ 'berth.bandwidth.egress': '1gbit' }).egress, { rate: 1e9, burst: 1e8 });
  assert.deepEqual(bridgeOptions({ 'berth.bandwidth.ingress': '500kbit' }).ingress, { rate: 500_000, burst: 524_288 });
  assert.deepEqual(bridgeOptions({ 'berth.bandwidth.ingress': '2000000' }).ingress, { rate: 2_000_000, burst: 524_288 });
  assert.equal(bridgeOptions({ mtu: '9000' }).mtu, 9000);
});

test('bad values are refused naming the option', () => {
  assert.throws(() => bridgeOptions({ 'com.docker.network.driver.mtu': '40' }), /com\.docker\.network\.driver\.mtu: "40" is not an MTU/);
  assert.throws(() => bridgeOptions({ 'berth.bandwidth.ingress': 'fast' }), /berth\.bandwidth\.ingress: "fast" is not a rate/);
  assert.throws(() => bridgeOptions({ 'berth.bandwidth.egress': '10 parsecs' }), /berth\.bandwidth\.egress/);
  assert.throws(() => bridgeOptions({ 'com.docker.network.bridge.enable_icc': 'no' }), /enable_icc: "no" is not true or false/);
  assert.throws(() => bridgeOptions({ 'berth.sysctl.kernel.shmmax': '1' }), /only net\.\* sysctls/);
  assert.throws(() => bridgeOptions({ 'com.docker.network.bridge.host_binding_ipv4': 'localhost' }), /host_binding_ipv4: "localhost" is not an IPv4 address/);
  assert.throws(() => bridgeOptions({ 'berth.sysctl.net.core.somaxconn': '1; reboot' }), /is not a sysctl value/);
});
