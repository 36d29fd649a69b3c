import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointEntry, fixedOf, parseLink } from './endpoint-settings.js';
import type { NetworkRecord } from './network-store.js';

const network: NetworkRecord = {
  id: 'c'.repeat(64), name: 'app', driver: 'bridge', bridge: 'bn-cccccccccccc', subnet: '10.60.0.0/24', gateway: '10.60.0.1',
  internal: false, userSubnet: true, options: {}, labels: {}, createdAt: '2026-01-01T00:00:00.000Z', enableIPv6: true, attachable: false,
  ipv6: { subnet: 'fd00:60::/64', gateway: 'fd00:60::1', reserved: [] },
};

test('parseLink reads name, name:alias and the /name:/container/alias form Docker stores', () => {
  assert.deepEqual(parseLink('db'), ['db', 'db']);
  assert.deepEqual(parseLink('db:database'), ['db', 'database']);
  assert.deepEqual(parseLink('/db:/web/database'), ['db', 'database']);
  assert.throws(() => parseLink('a:b:c'), /bad format for links: a:b:c/);
  assert.throws(() => parseLink(''), /empty string specified for links/);
});

test('an endpoint request becomes the config entry: canonical addresses, settings kept as given', () => {
  const entry = endpointEntry(network, {
    aliases: ['api'], ipv4Address: '10.60.0.9', ipv6Address: 'FD00:60::9', linkLocalIPs: ['169.254.7.7'], ipamConfig: true,
    macAddress: '02:42:0A:3C:00:09', links: ['db:database'], driverOpts: { k: 'v' },
  }, 'EndpointsConfig.app');
  assert.deepEqual(entry, {
    id: network.id, aliases: ['api'], ipv4Address: '10.60.0.9', ipv6Address: 'fd00:60::9', linkLocalIPs: ['169.254.7.7'], ipamConfig: true,
    macAddress: '02:42:0a:3c:00:09', links: ['db:database'], driverOpts: { k: 'v' },
  });
  assert.deepEqual(endpointEntry(network, {}, 'x'), { id: network.id, aliases: [] });
  assert.throws(() => endpointEntry(network, { links: ['a:b:c'] }, 'x'), /bad format for links/);
  assert.throws(() => endpointEntry(network, { ipv6Address: 'fd00:61::9' }, 'EndpointsConfig.app'), /EndpointsConfig\.app\.IPAMConfig\.IPv6Address/);
});

test('fixedOf: the endpoint MAC wins over Config.MacAddress; nothing asked, nothing fixed', () => {
  assert.deepEqual(fixedOf({ id: 'n', aliases: [], macAddress: '02:00:00:00:00:01' }, '02:00:00:00:00:02'), { macAddress: '02:00:00:00:00:01' });
  assert.deepEqual(fixedOf({ id: 'n', aliases: [], ipv6Address: 'fd00::9' }, '02:00:00:00:00:02'), { ipv6Address: 'fd00::9', macAddress: '02:00:00:00:00:02' });
  assert.equal(fixedOf({ id: 'n', aliases: [] }), undefined);
});
