import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EndpointRecord, NetworkRecord } from './network-store.js';
import { addressInUse, checkLinkLocalIps, checkMacAddress, checkStaticAddress, checkStaticAddress6 } from './static-address.js';

const network: NetworkRecord = {
  id: 'b'.repeat(64), name: 'lan', driver: 'bridge', bridge: 'bn-bbbbbbbbbbbb', subnet: '10.50.0.0/24', gateway: '10.50.0.1',
  internal: false, userSubnet: true, options: {}, labels: {}, createdAt: '2026-01-01T00:00:00.000Z', enableIPv6: false, attachable: false,
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

const dual: NetworkRecord = {
  ...network, enableIPv6: true, ipv6: { subnet: 'fd00:50::/64', gateway: 'fd00:50::1', ipRange: 'fd00:50::/120', reserved: ['fd00:50::5'] },
  ipam: { options: null, config: [], reserved: ['10.50.0.5'] },
};

test('checkStaticAddress6: an address of the IPv6 subnet in canonical form; not the subnet, gateway, a reserved one or outside the range', () => {
  assert.equal(checkStaticAddress6(dual, 'FD00:50:0::09', '--ip6'), 'fd00:50::9');
  for (const bad of ['fd00:51::9', 'fd00:50::', 'fd00:50::1', 'fd00:50::5', 'fd00:50::1:0']) {
    assert.throws(() => checkStaticAddress6(dual, bad, '--ip6'), invalid('invalid-ip-address'), bad);
  }
  assert.throws(() => checkStaticAddress6(dual, 'zz', '--ip6'), /invalid IPv6 address: zz/);
  assert.throws(() => checkStaticAddress6(network, 'fd00:50::9', '--ip6'), invalid('static-ip-unsupported'));
  assert.throws(() => checkStaticAddress6({ ...dual, enableIPv6: false }, 'fd00:50::9', '--ip6'), /without IPv6/);
  assert.throws(() => checkStaticAddress(dual, '10.50.0.5', '--ip'), /reserved/);
});

test('checkLinkLocalIps takes 169.254/16 and fe80::/10 only, as dockerd words the refusal', () => {
  assert.deepEqual(checkLinkLocalIps(['169.254.1.1', 'FE80::0099']), ['169.254.1.1', 'fe80::99']);
  assert.throws(() => checkLinkLocalIps(['10.0.0.1']), /^.*invalid link local IP address: 10\.0\.0\.1$/);
  assert.throws(() => checkLinkLocalIps(['fd00::1']), /invalid link local IP address: fd00::1/);
  assert.throws(() => checkLinkLocalIps(['x']), /Invalid link-local IP address: \[x\]/);
});

test('addressInUse also finds the holder of an IPv6 address', () => {
  const e: EndpointRecord = { networkId: dual.id, containerId: 'c1', containerName: 'one', aliases: [], ifname: 'eth0', ip: '10.50.0.20', prefixLen: 24, mac: '', ports: [], ip6: 'fd00:50::20', prefixLen6: 64 };
  assert.equal(addressInUse([e], 'c2', { ipv6Address: 'fd00:50::20' }), e);
  assert.equal(addressInUse([e], 'c2', { ipv6Address: 'fd00:50::21' }), undefined);
});
