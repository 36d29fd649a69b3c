import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointRecord, NetworkRecord } from './network-store.js';
import { addressInUse, checkMacAddress, checkStaticAddress } from './static-address.js';

const network: NetworkRecord = {
  id: 'b'.repeat(64), name: 'lan', driver: 'bridge', bridge: 'bn-bbbbbbbbbbbb', subnet: '10.50.0.0/24', gateway: '10.50.0.1',
  internal: false, userSubnet: true, options: {}, labels: {}, createdAt: '2026-01-01T00:00:00.000Z',
};
const invalid = (reason: string) => (err: unknown): boolean => err instanceof Error && 'kind' in err && err.kind === 'invalid-argument' && 'reason' in err && err.reason === reason;

test('checkStaticAddress accepts an address of the user subnet', () => {
  assert.equal(checkStaticAddress(network, '10.50.0.20', '--ip'), '10.50.0.20');
});

test('checkStaticAddress rejects networks without a user subnet, addresses outside it and reserved ones', () => {
  assert.throws(() => checkStaticAddress({ ...network, userSubnet: false }, '10.50.0.20', '--ip'), invalid('static-ip-unsupported'));
  assert.throws(() => checkStaticAddress({ ...network, userSubnet: false }, '10.50.0.20', '--ip'), /user configured subnets/);
  for (const bad of ['10.51.0.20', '10.50.0.0', '10.50.0.255', '10.50.0.1', '10.50.0.300', 'x']) {
    assert.throws(() => checkStaticAddress(network, bad, '--ip'), invalid('invalid-ip-address'), bad);
  }
});

test('checkMacAddress normalises unicast MACs and rejects others', () => {
  assert.equal(checkMacAddress('02:42:AC:11:00:99', '--mac-address'), '02:42:ac:11:00:99');
  for (const bad of ['02:42:ac:11:00', '01:00:5e:00:00:01', 'zz:42:ac:11:00:99', '0242ac110099']) {
    assert.throws(() => checkMacAddress(bad, '--mac-address'), invalid('invalid-mac-address'), bad);
  }
});

test('addressInUse finds another container holding the address or MAC', () => {
  const e: EndpointRecord = { networkId: network.id, containerId: 'c1', containerName: 'one', aliases: [], ifname: 'eth0', ip: '10.50.0.20', prefixLen: 24, mac: '02:42:ac:11:00:99', ports: [] };
  assert.equal(addressInUse([e], 'c2', { ipv4Address: '10.50.0.20' }), e);
  assert.equal(addressInUse([e], 'c2', { macAddress: '02:42:ac:11:00:99' }), e);
  assert.equal(addressInUse([e], 'c1', { ipv4Address: '10.50.0.20' }), undefined);
  assert.equal(addressInUse([e], 'c2', { ipv4Address: '10.50.0.21' }), undefined);
});
