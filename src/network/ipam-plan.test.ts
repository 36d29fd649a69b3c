import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planIpam } from './ipam-plan.js';

const reason = (kind: string, why: string) => (err: unknown): boolean => err instanceof Error && 'kind' in err && err.kind === kind && 'reason' in err && err.reason === why;

test('pools split by family; shown as given, checked in canonical form', () => {
  const plan = planIpam({
    options: { k: 'v' },
    config: [{ subnet: 'fd00:77::5/64', gateway: 'fd00:77::fe', auxAddresses: { r: 'fd00:77::5' } }, { subnet: '10.93.0.5/24', ipRange: '10.93.0.128/25' }],
  }, [], []);
  assert.deepEqual(plan.shown, {
    v4: { subnet: '10.93.0.5/24', ipRange: '10.93.0.128/25' },
    v6: { subnet: 'fd00:77::5/64', gateway: 'fd00:77::fe', auxAddresses: { r: 'fd00:77::5' } },
  });
  assert.deepEqual(plan.v4, { subnet: '10.93.0.0/24', gateway: '10.93.0.1', ipRange: '10.93.0.128/25', reserved: [] });
  assert.deepEqual(plan.v6, { subnet: 'fd00:77::/64', gateway: 'fd00:77::fe', reserved: ['fd00:77::5'] });
  assert.deepEqual(plan.options, { k: 'v' });
});

test('no pool: berth chooses the IPv4 one; an IPv6 pool alone leaves IPv4 to berth; options null when not given', () => {
  assert.deepEqual(planIpam({}, [], []), { options: null, shown: {} });
  const plan = planIpam({ config: [{ subnet: 'fd00:1::/64' }] }, [], []);
  assert.equal(plan.v4, undefined);
  assert.deepEqual(plan.v6, { subnet: 'fd00:1::/64', gateway: 'fd00:1::1', reserved: [] });
  assert.deepEqual(planIpam({ config: [{ subnet: '' }] }, [], []).shown, {});
});

test('refused: a second pool of a family, another IPAM driver, overlaps, bad gateways, ranges and aux addresses', () => {
  assert.throws(() => planIpam({ config: [{ subnet: '10.1.0.0/24' }, { subnet: '10.2.0.0/24' }] }, [], []), /bridge driver doesn't support multiple subnets/);
  assert.throws(() => planIpam({ config: [{ subnet: 'fd00:1::/64' }, { subnet: 'fd00:2::/64' }] }, [], []), reason('invalid-argument', 'multiple-subnets'));
  assert.throws(() => planIpam({ driver: 'other' }, [], []), (err: unknown) => reason('not-found', 'ipam-driver-not-found')(err) && /plugin "other" not found/.test(String(err)));
  assert.doesNotThrow(() => planIpam({ driver: 'default' }, [], []));
  assert.throws(() => planIpam({ config: [{ subnet: '10.1.0.0/24' }] }, ['10.1.0.0/16'], []), reason('invalid-argument', 'subnet-overlap'));
  assert.throws(() => planIpam({ config: [{ subnet: 'fd00:1::/64' }] }, [], ['fd00:1::/48']), reason('invalid-argument', 'subnet-overlap'));
  assert.throws(() => planIpam({ config: [{ subnet: 'fd00:1::/64', gateway: 'fd00:2::1' }] }, [], []), reason('invalid-argument', 'invalid-gateway'));
  assert.throws(() => planIpam({ config: [{ subnet: 'fd00:1::/64', gateway: 'fd00:1::' }] }, [], []), reason('invalid-argument', 'invalid-gateway'));
  assert.throws(() => planIpam({ config: [{ subnet: 'fd00:1::/127' }] }, [], []), reason('invalid-argument', 'invalid-subnet'));
  assert.throws(() => planIpam({ config: [{ subnet: 'fd00:1::/64', ipRange: 'fd00:2::/80' }] }, [], []), reason('invalid-argument', 'invalid-ip-range'));
  assert.throws(() => planIpam({ config: [{ subnet: '10.1.0.0/24', auxAddresses: { a: '10.2.0.1' } }] }, [], []), reason('invalid-argument', 'invalid-aux-address'));
  assert.throws(() => planIpam({ config: [{ subnet: '10.1.0.0/30', auxAddresses: { a: '10.1.0.1', b: '10.1.0.2' } }] }, [], []), /no address of 10\.1\.0\.0\/30 is left/);
  assert.throws(() => planIpam({ config: [{ ipRange: '10.1.0.0/25' }] }, [], []), /needs a subnet/);
});
