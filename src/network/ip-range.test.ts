import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkIpRange, checkIpRange6, hostLocalRange, hostLocalRanges4, hostLocalRanges6, rangesAround } from './ip-range.js';
import { parseIpv4, requireCidr } from './ipv4.js';
import { parseIpv6, requireCidr6 } from './ipv6.js';

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

test('host-local ranges: split around reserved addresses; IPv6 keeps its last address', () => {
  assert.deepEqual(rangesAround(1n, 10n, [5n, 1n, 12n, 5n]), [[2n, 4n], [6n, 10n]]);
  assert.deepEqual(rangesAround(1n, 2n, [1n, 2n]), []);
  assert.deepEqual(hostLocalRanges4(subnet, undefined, []), [{}]);
  assert.deepEqual(hostLocalRanges4(subnet, requireCidr('10.77.0.128/25', 'r'), []), [{ rangeStart: '10.77.0.128', rangeEnd: '10.77.0.254' }]);
  assert.deepEqual(hostLocalRanges4(subnet, undefined, [parseIpv4('10.77.0.5') ?? 0]), [
    { rangeStart: '10.77.0.1', rangeEnd: '10.77.0.4' }, { rangeStart: '10.77.0.6', rangeEnd: '10.77.0.254' },
  ]);
  const subnet6 = requireCidr6('fd00:1::/64', 's');
  assert.deepEqual(hostLocalRanges6(subnet6, undefined, []), [{}]);
  assert.deepEqual(hostLocalRanges6(subnet6, requireCidr6('fd00:1::100/120', 'r'), [parseIpv6('fd00:1::105') ?? 0n]), [
    { rangeStart: 'fd00:1::100', rangeEnd: 'fd00:1::104' }, { rangeStart: 'fd00:1::106', rangeEnd: 'fd00:1::1ff' },
  ]);
  assert.equal(checkIpRange6(subnet6, 'fd00:1::1:0/112'), 'fd00:1::1:0/112');
  assert.throws(() => checkIpRange6(subnet6, 'fd00:2::/112'), /not inside the subnet fd00:1::\/64/);
});
