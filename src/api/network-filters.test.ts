import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NetworkRecord } from '../network/network-store.js';
import { networkFilter, type NetworkFacts } from './network-filters.js';

const network = (name: string, id: string, labels: Record<string, string>, predefined = false, endpoints = 0): NetworkFacts => ({
  network: { id, name, driver: 'bridge', bridge: 'b', subnet: '', gateway: '', internal: false, userSubnet: false, options: {}, labels, createdAt: '', enableIPv6: false, attachable: false } satisfies NetworkRecord,
  predefined, endpoints,
});
const networks = [network('bridge', 'aa11', {}, true), network('front', 'bb22', { team: 'a' }, false, 2), network('back', 'cc33', { team: 'a', x: '1' })];
const pick = (filters: Record<string, string[]>): string[] => networks.filter(networkFilter(new Map(Object.entries(filters)))).map((n) => n.network.name);

test('name and id are patterns, labels ANDed, type and dangling as dockerd', () => {
  assert.deepEqual(pick({ name: ['^b'] }), ['bridge', 'back']);
  assert.deepEqual(pick({ id: ['b2'] }), ['front']);
  assert.deepEqual(pick({ label: ['team=a', 'x=1'] }), ['back']);
  assert.deepEqual(pick({ type: ['builtin'] }), ['bridge']);
  assert.deepEqual(pick({ type: ['custom'], driver: ['bridge'], scope: ['local'] }), ['front', 'back']);
  assert.deepEqual(pick({ dangling: ['1'] }), ['back']);
  assert.deepEqual(pick({ dangling: ['false'] }), ['bridge', 'front']);
});

test('refused filters', () => {
  assert.throws(() => pick({ colour: ['x'] }), /Invalid filter 'colour'/);
  assert.throws(() => pick({ type: ['odd'] }), /invalid filter: 'type'='odd'/);
  assert.throws(() => pick({ dangling: ['true', 'false'] }), /got more than one value for filter key "dangling"/);
  assert.throws(() => pick({ dangling: ['maybe'] }), /invalid value for filter 'dangling'/);
});
