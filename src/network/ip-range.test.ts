import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIpRange, hostLocalRange } from './ip-range.js';
import { requireCidr } from './ipv4.js';

const subnet = requireCidr('10.77.0.0/24', 'subnet');

test('a range inside the subnet, in canonical form; host-local bounds skip network and broadcast', () => {
  assert.equal(checkIpRange(subnet, '10.77.0.130/25'), '10.77.0.128/25');
  assert.deepEqual(hostLocalRange(subnet, requireCidr('10.77.0.0/26', 'r')), { rangeStart: '10.77.0.1', rangeEnd: '10.77.0.63' });
  assert.deepEqual(hostLocalRange(subnet, requireCidr('10.77.0.0/24', 'r')), { rangeStart: '10.77.0.1', rangeEnd: '10.77.0.254' });
});

test('a range outside the subnet, or not a CIDR, is refused naming IPAM.Config.IPRange', () => {
  assert.throws(() => checkIpRange(subnet, '10.78.0.0/25'), /IPAM\.Config\.IPRange: 10\.78\.0\.0\/25 is not inside the subnet 10\.77\.0\.0\/24/);
  assert.throws(() => checkIpRange(subnet, '10.77.0.0/23'), /not inside the subnet/);
  assert.throws(() => checkIpRange(subnet, 'ten'), /IPAM\.Config\.IPRange/);
  assert.throws(() => checkIpRange(subnet, '10.77.0.255/32'), /no usable address/);
});
