import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalIpv6, contains6, formatCidr6, formatIpv6, lastOf6, overlaps6, parseCidr6, parseIpv6, requireCidr6 } from './ipv6.js';

test('IPv6 text in any form reads; the canonical form is RFC 5952 (as `ip` prints it)', () => {
  assert.equal(canonicalIpv6('fd00:0000:0000:0000:0000:0000:0000:0001'), 'fd00::1');
  assert.equal(canonicalIpv6('FD00:ABCD:3::9'), 'fd00:abcd:3::9');
  assert.equal(canonicalIpv6('::'), '::');
  assert.equal(canonicalIpv6('::1'), '::1');
  assert.equal(canonicalIpv6('1::'), '1::');
  assert.equal(canonicalIpv6('2001:db8:0:1:1:1:1:1'), '2001:db8:0:1:1:1:1:1');
  assert.equal(canonicalIpv6('2001:0:0:1:0:0:0:1'), '2001:0:0:1::1');
  assert.equal(canonicalIpv6('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIpv6('::ffff:10.0.0.1'), '::ffff:a00:1');
  assert.equal(parseIpv6('::1'), 1n);
  for (const bad of ['', '1.2.3.4', 'fd00::1::2', 'fd00:1:2:3:4:5:6:7:8', 'g::1', 'fe80::1%eth0', '1:2:3:4:5:6:7', '12345::']) {
    assert.equal(parseIpv6(bad), undefined, bad);
  }
  assert.equal(formatIpv6((1n << 128n) - 1n), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
});

test('IPv6 blocks: host bits cleared, containment and overlap', () => {
  const block = requireCidr6('fd00:abcd:3::9/64', 'subnet');
  assert.equal(formatCidr6(block), 'fd00:abcd:3::/64');
  assert.equal(formatIpv6(lastOf6(block)), 'fd00:abcd:3:0:ffff:ffff:ffff:ffff');
  assert.ok(contains6(block, parseIpv6('fd00:abcd:3::ffff') ?? 0n));
  assert.ok(!contains6(block, parseIpv6('fd00:abcd:4::1') ?? 0n));
  assert.ok(overlaps6(block, requireCidr6('fd00:abcd::/32', 'x')));
  assert.ok(!overlaps6(block, requireCidr6('fd00:abcd:4::/64', 'x')));
  assert.equal(parseCidr6('fd00::/129'), undefined);
  assert.equal(parseCidr6('10.0.0.0/8'), undefined);
  assert.throws(() => requireCidr6('fd00::', 'IPAM.Config.Subnet'), /IPAM\.Config\.Subnet: "fd00::" is not an IPv6 CIDR block/);
});
