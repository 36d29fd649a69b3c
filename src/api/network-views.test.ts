import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, type ContainerRecord } from '../engine/container-record.js';
import type { EndpointRecord, NetworkRecord } from '../network/network-store.js';
import { endpointView, networkView } from './network-views.js';

const network: NetworkRecord = {
  id: 'e'.repeat(64), name: 'app', driver: 'bridge', bridge: 'bn-eeeeeeeeeeee', subnet: '10.61.0.0/24', gateway: '10.61.0.1',
  internal: false, userSubnet: true, options: { 'com.docker.network.driver.mtu': '1400' }, labels: { a: 'b' }, createdAt: '2026-01-01T00:00:00.000Z',
  enableIPv6: true, attachable: true, ipv6: { subnet: 'fd00:61::/64', gateway: 'fd00:61::1', reserved: [] },
  ipam: { options: null, config: [{ subnet: '10.61.0.5/24', auxAddresses: { r: '10.61.0.5' } }, { subnet: 'fd00:61::/64' }], reserved: ['10.61.0.5'] },
};

test('a network shows the options, IPAM and flags it was created with, nothing added', () => {
  const view = networkView(network, []);
  assert.deepEqual(view.Options, { 'com.docker.network.driver.mtu': '1400' });
  assert.deepEqual(view.IPAM, { Driver: 'default', Options: null, Config: [{ Subnet: '10.61.0.5/24', AuxiliaryAddresses: { r: '10.61.0.5' } }, { Subnet: 'fd00:61::/64' }] });
  assert.equal(view.EnableIPv6, true);
  assert.equal(view.Attachable, true);
  const { ipam: _ipam, ...legacy } = network;
  assert.deepEqual(networkView({ ...legacy, options: {} }, []).IPAM, { Driver: 'default', Options: {}, Config: [{ Subnet: '10.61.0.0/24', Gateway: '10.61.0.1' }] });
});

test('an endpoint\'s IPv6 address shows in the network\'s Containers', () => {
  const e: EndpointRecord = { networkId: network.id, containerId: 'f'.repeat(64), containerName: 'web', aliases: [], ifname: 'eth0', ip: '10.61.0.2', prefixLen: 24, mac: '02:42:0a:3d:00:02', ports: [], ip6: 'fd00:61::2', prefixLen6: 64 };
  const containers = networkView(network, [e]).Containers;
  assert.equal(containers['f'.repeat(64)]?.IPv6Address, 'fd00:61::2/64');
  assert.equal(containers['f'.repeat(64)]?.IPv4Address, '10.61.0.2/24');
});

function container(startedAt?: string): ContainerRecord {
  return {
    id: '1'.repeat(64), name: 'web', imageId: 'sha256:x', createdAt: '2026-01-01T00:00:00Z', state: { ...initialState(), ...(startedAt === undefined ? {} : { startedAt }) },
    config: { image: 'busybox', options: {}, autoRemove: false, stdinOnce: false, attachStdin: false, attachStdout: true, attachStderr: true, log: { maxSize: -1 } },
  };
}

test('endpoint settings before the first start: as given, no network id, the MAC asked for', () => {
  const entry = { id: network.id, aliases: ['api'], ipv6Address: 'fd00:61::9', linkLocalIPs: ['169.254.1.1'], links: ['db:database'], driverOpts: { k: 'v' }, macAddress: '02:42:0a:3d:00:09' };
  assert.deepEqual(endpointView(container(), entry, network, undefined), {
    IPAMConfig: { IPv6Address: 'fd00:61::9', LinkLocalIPs: ['169.254.1.1'] }, Links: ['db:database'], Aliases: ['api'], NetworkID: '', EndpointID: '', Gateway: '',
    IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '02:42:0a:3d:00:09', DriverOpts: { k: 'v' },
  });
  const bare = endpointView(container(), { id: network.id, aliases: [] }, network, undefined);
  assert.equal(bare.IPAMConfig, null);
  assert.equal(bare.Aliases, null);
  assert.deepEqual(endpointView(container(), { id: network.id, aliases: [], ipamConfig: true }, network, undefined).IPAMConfig, {});
});

test('endpoint settings once started: the network id, the short id among the aliases, the run\'s addresses', () => {
  const e: EndpointRecord = { networkId: network.id, containerId: '1'.repeat(64), containerName: 'web', aliases: [], ifname: 'eth0', ip: '10.61.0.2', prefixLen: 24, mac: '02:42:0a:3d:00:02', ports: [], ip6: 'fd00:61::2', prefixLen6: 64 };
  const running = endpointView(container('2026-01-02T00:00:00Z'), { id: network.id, aliases: ['api'] }, network, e);
  assert.deepEqual([running.NetworkID, running.Aliases, running.IPv6Gateway, running.GlobalIPv6Address, running.GlobalIPv6PrefixLen, running.MacAddress],
    [network.id, ['api', '111111111111'], 'fd00:61::1', 'fd00:61::2', 64, '02:42:0a:3d:00:02']);
  const stopped = endpointView(container('2026-01-02T00:00:00Z'), { id: network.id, aliases: [], macAddress: '02:42:0a:3d:00:09' }, network, undefined);
  assert.deepEqual([stopped.NetworkID, stopped.Aliases, stopped.MacAddress, stopped.IPAddress], [network.id, ['111111111111'], '', '']);
  const onDefault = endpointView(container('2026-01-02T00:00:00Z'), { id: network.id, aliases: [] }, { ...network, name: 'bridge' }, undefined);
  assert.equal(onDefault.Aliases, null);
});
