import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OverlayState } from '../wire/overlays.js';
import { checkOverlaySubnet, isNoChange, normalizeOverlay, overlayDevices, overlayDiff, overlayMtu, overlayNameAddresses } from './overlay-plan.js';

const ID = 'ab'.repeat(32);
const base: OverlayState = {
  Id: ID, Name: 'backend', Subnet: '10.0.9.0/24', Gateway: '10.0.9.1', Vni: 4097, Internal: false, Attachable: true,
  Labels: { a: '1', b: '2' }, Options: {}, LocalAddress: '10.252.0.1', Peers: ['10.252.0.2', '10.252.0.3'],
  Names: [{ Name: 'api', Addresses: ['10.0.9.100'] }], Balancers: [{ Vip: '10.0.9.100', Backends: ['10.0.9.2'] }],
};

test('devices are named after the id (15 bytes at most)', () => {
  assert.deepEqual(overlayDevices(ID), { bridge: 'bn-abababababab', vxlan: 'vx-abababababab' });
});

test('normalize: each peer once, in order, never the node itself', () => {
  assert.deepEqual(normalizeOverlay({ ...base, Peers: ['10.252.0.3', '10.252.0.1', '10.252.0.3', '10.252.0.2'] }).Peers, ['10.252.0.3', '10.252.0.2']);
});

test('the same state is no change (key order of labels and options does not count)', () => {
  const diff = overlayDiff(base, { ...base, Labels: { b: '2', a: '1' } });
  assert.ok(isNoChange(diff), JSON.stringify(diff));
});

test('a first put: every peer added, the record made', () => {
  const diff = overlayDiff(undefined, base);
  assert.deepEqual([diff.fixed, diff.peersAdded, diff.peersRemoved, diff.recordChanged, diff.balancersChanged], [[], base.Peers, [], true, true]);
});

test('peers, balancers, names and the record are applied as a diff', () => {
  const diff = overlayDiff(base, {
    ...base, Name: 'renamed', Peers: ['10.252.0.3', '10.252.0.4'], Balancers: [{ Vip: '10.0.9.100', Backends: ['10.0.9.2', '10.0.9.3'] }],
  });
  assert.deepEqual(diff, {
    fixed: [], peersAdded: ['10.252.0.4'], peersRemoved: ['10.252.0.2'], localChanged: false,
    balancersChanged: true, namesChanged: false, meshChanged: false, policiesChanged: false, recordChanged: true,
  });
  assert.equal(overlayDiff(base, { ...base, Names: [] }).namesChanged, true);
  assert.equal(overlayDiff(base, { ...base, Ingress: { Ports: [] } }).meshChanged, true);
  assert.equal(overlayDiff(base, { ...base, LocalAddress: '10.252.0.9' }).localChanged, true);
});

test('fixed fields that differ are named', () => {
  assert.deepEqual(overlayDiff(base, { ...base, Subnet: '10.0.10.0/24', Gateway: '10.0.10.1', Vni: 5, Internal: true }).fixed, ['Subnet', 'Gateway', 'Vni', 'Internal']);
});

test('MTU: 1450, or less when the network says so', () => {
  assert.equal(overlayMtu(undefined), 1450);
  assert.equal(overlayMtu(1400), 1400);
  assert.equal(overlayMtu(9000), 1450);
});

test('names: case-insensitive, trailing dot ignored, addresses in order without repeats', () => {
  const names = [{ Name: 'API', Addresses: ['10.0.9.5', '10.0.9.4'] }, { Name: 'api.', Addresses: ['10.0.9.4', '10.0.9.6'] }];
  assert.deepEqual(overlayNameAddresses(names, 'Api.'), ['10.0.9.5', '10.0.9.4', '10.0.9.6']);
  assert.deepEqual(overlayNameAddresses(names, 'web'), []);
});

test('the gateway is a host address of the subnet; the subnet overlaps no other network of the node', () => {
  assert.doesNotThrow(() => { checkOverlaySubnet(base, [{ id: ID, name: 'backend', subnet: '10.0.9.0/24' }, { id: 'x', name: 'bridge', subnet: '10.89.0.0/24' }]); });
  assert.throws(() => { checkOverlaySubnet({ ...base, Gateway: '10.0.10.1' }, []); }, /^BerthError: Gateway: 10\.0\.10\.1/);
  assert.throws(() => { checkOverlaySubnet({ ...base, Gateway: '10.0.9.255' }, []); }, /Gateway/);
  assert.throws(() => { checkOverlaySubnet(base, [{ id: 'x', name: 'lan', subnet: '10.0.0.0/16' }]); }, /Subnet: 10\.0\.9\.0\/24 overlaps the subnet 10\.0\.0\.0\/16 of network lan/);
});
