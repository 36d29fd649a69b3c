import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseSubnet, routeDestinations } from './subnet-choice.js';

test('chooseSubnet takes the first free /24 from 10.89.0.0', () => {
  assert.deepEqual(chooseSubnet([]), { subnet: '10.89.0.0/24', gateway: '10.89.0.1' });
  assert.deepEqual(chooseSubnet(['default', '192.0.2.0/24', '10.89.0.0/24']), { subnet: '10.89.1.0/24', gateway: '10.89.1.1' });
});

test('chooseSubnet skips blocks overlapped by wider routes and single addresses', () => {
  assert.equal(chooseSubnet(['10.89.0.0/23', '10.89.2.7']).subnet, '10.89.3.0/24');
  assert.equal(chooseSubnet(['10.89.0.0/16']).subnet, '10.90.0.0/24');
});

test('chooseSubnet throws resource-exhausted when nothing is free', () => {
  assert.throws(() => chooseSubnet(['10.0.0.0/8']), (err: unknown) => err instanceof Error && 'kind' in err && err.kind === 'resource-exhausted');
});

test('routeDestinations reads ip -j route output', () => {
  const json = '[{"dst":"default","gateway":"192.0.2.1","dev":"eth0"},{"dst":"192.0.2.0/24","dev":"eth0"}]';
  assert.deepEqual(routeDestinations(json), ['default', '192.0.2.0/24']);
  assert.deepEqual(routeDestinations(''), []);
});
