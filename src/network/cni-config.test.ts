import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachmentConfList } from './cni-config.js';
import { IsolationRules } from './isolation-rules.js';
import type { NetworkRecord } from './network-store.js';

const network: NetworkRecord = {
  id: 'a'.repeat(64), name: 'web', driver: 'bridge', bridge: 'bn-aaaaaaaaaaaa', subnet: '10.89.3.0/24', gateway: '10.89.3.1',
  internal: false, userSubnet: false, options: {}, labels: {}, createdAt: '2026-01-01T00:00:00.000Z', enableIPv6: false, attachable: false,
};

test('a routed network chains bridge and portmap with the default route on the primary attachment', () => {
  const conf = attachmentConfList({ network, ipamDataDir: '/root/ipam', primary: true, ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 }] });
  assert.equal(conf.name, 'berth-aaaaaaaaaaaa');
  assert.deepEqual(conf.plugins.map((p) => p.type), ['bridge', 'portmap']);
  assert.deepEqual(conf.plugins[0], {
    type: 'bridge', bridge: 'bn-aaaaaaaaaaaa', isGateway: true, ipMasq: false, hairpinMode: true,
    ipam: { type: 'host-local', ranges: [[{ subnet: '10.89.3.0/24', gateway: '10.89.3.1' }]], routes: [{ dst: '0.0.0.0/0' }], dataDir: '/root/ipam' },
  });
  assert.deepEqual(conf.plugins[1]?.runtimeConfig, { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1' }] });
});

test('a second attachment gets no default route; no ports, no portmap; an internal network no gateway, masquerade or ports', () => {
  const secondary = attachmentConfList({ network, ipamDataDir: '/d', primary: false, ports: [] });
  assert.deepEqual((secondary.plugins[0]?.ipam as { routes: unknown[] }).routes, []);
  assert.deepEqual(secondary.plugins.map((p) => p.type), ['bridge']);
  const internal = attachmentConfList({ network: { ...network, internal: true }, ipamDataDir: '/d', primary: true, ports: [] });
  assert.deepEqual(internal.plugins.map((p) => p.type), ['bridge']);
  assert.equal(internal.plugins[0]?.isGateway, false);
  assert.equal(internal.plugins[0].ipMasq, false);
  assert.deepEqual((internal.plugins[0].ipam as { routes: unknown[] }).routes, []);
});

test('network options: an MTU on the bridge plugin, tuning for sysctls, bandwidth for rate limits', () => {
  const options = { 'com.docker.network.driver.mtu': '1400', 'berth.sysctl.net.core.somaxconn': '512', 'berth.bandwidth.ingress': '10mbit', 'com.docker.network.bridge.enable_ip_masquerade': 'false' };
  const conf = attachmentConfList({ network: { ...network, options }, ipamDataDir: '/d', primary: true, ports: [] });
  assert.deepEqual(conf.plugins.map((p) => p.type), ['bridge', 'tuning', 'bandwidth']);
  assert.equal(conf.plugins[0]?.mtu, 1400);
  assert.deepEqual(conf.plugins[1]?.sysctl, { 'net.core.somaxconn': '512' });
  assert.deepEqual(conf.plugins[2], { type: 'bandwidth', ingressRate: 10_000_000, ingressBurst: 1_000_000 });
  assert.equal(IsolationRules.masqueradeRule({ ...network, options }), undefined);
  assert.deepEqual(IsolationRules.masqueradeRule(network), ['POSTROUTING', '-s', '10.89.3.0/24', '!', '-o', 'bn-aaaaaaaaaaaa', '-j', 'MASQUERADE']);
});

test('a requested address and MAC go to the bridge plugin as runtimeConfig ips and mac', () => {
  const conf = attachmentConfList({ network, ipamDataDir: '/d', primary: true, ports: [], fixed: { ipv4Address: '10.89.3.7', macAddress: '02:42:ac:11:00:99' } });
  assert.deepEqual(conf.plugins[0]?.capabilities, { ips: true, mac: true });
  assert.deepEqual(conf.plugins[0].runtimeConfig, { ips: ['10.89.3.7/24'], mac: '02:42:ac:11:00:99' });
  const plain = attachmentConfList({ network, ipamDataDir: '/d', primary: true, ports: [] });
  assert.equal(plain.plugins[0]?.runtimeConfig, undefined);
});

test('an IP range becomes host-local\'s rangeStart and rangeEnd, without the subnet\'s broadcast address', () => {
  const conf = attachmentConfList({ network: { ...network, userSubnet: true, ipRange: '10.89.3.128/25' }, ipamDataDir: '/d', primary: true, ports: [] });
  assert.deepEqual((conf.plugins[0]?.ipam as { ranges: unknown[][] }).ranges, [[{ subnet: '10.89.3.0/24', gateway: '10.89.3.1', rangeStart: '10.89.3.128', rangeEnd: '10.89.3.254' }]]);
});

test('a network with IPv6: a second range set, ::/0 beside the default route, a static IPv6 address in `ips`; reserved addresses split the ranges', () => {
  const dual: NetworkRecord = {
    ...network, enableIPv6: true, ipv6: { subnet: 'fd00:3::/64', gateway: 'fd00:3::1', reserved: [] },
    ipam: { options: null, config: [], reserved: ['10.89.3.100'] },
  };
  const conf = attachmentConfList({ network: dual, ipamDataDir: '/d', primary: true, ports: [], fixed: { ipv6Address: 'fd00:3::9' } });
  const ipam = conf.plugins[0]?.ipam as { ranges: unknown[][]; routes: unknown[] };
  assert.deepEqual(ipam.ranges, [
    [{ subnet: '10.89.3.0/24', gateway: '10.89.3.1', rangeStart: '10.89.3.1', rangeEnd: '10.89.3.99' }, { subnet: '10.89.3.0/24', gateway: '10.89.3.1', rangeStart: '10.89.3.101', rangeEnd: '10.89.3.254' }],
    [{ subnet: 'fd00:3::/64', gateway: 'fd00:3::1' }],
  ]);
  assert.deepEqual(ipam.routes, [{ dst: '0.0.0.0/0' }, { dst: '::/0' }]);
  assert.deepEqual(conf.plugins[0]?.runtimeConfig, { ips: ['fd00:3::9/64'] });
  // Without EnableIPv6 the pool is only kept: no IPv6 range, route or address.
  const off = attachmentConfList({ network: { ...dual, enableIPv6: false }, ipamDataDir: '/d', primary: true, ports: [], fixed: { ipv6Address: 'fd00:3::9' } });
  assert.equal((off.plugins[0]?.ipam as { ranges: unknown[] }).ranges.length, 1);
  assert.equal(off.plugins[0]?.runtimeConfig, undefined);
});

test('IPv6 isolation rules: the network\'s own traffic passes before what comes from another berth bridge is dropped', () => {
  assert.deepEqual(IsolationRules.isolationRules6(network), [
    ['BERTH-ISOLATION', '-i', 'bn-aaaaaaaaaaaa', '-o', 'bn-aaaaaaaaaaaa', '-j', 'RETURN'],
    ['BERTH-ISOLATION', '-i', 'bn-+', '-o', 'bn-aaaaaaaaaaaa', '-j', 'DROP'],
  ]);
  assert.deepEqual(IsolationRules.masqueradeRule(network, 'fd00:3::/64'), ['POSTROUTING', '-s', 'fd00:3::/64', '!', '-o', 'bn-aaaaaaaaaaaa', '-j', 'MASQUERADE']);
});

test('on an overlay network the interfaces get VXLAN\'s MTU (1450), or the network\'s lower one', () => {
  const overlay: NetworkRecord = { ...network, driver: 'overlay', userSubnet: true };
  assert.equal(attachmentConfList({ network: overlay, ipamDataDir: '/d', primary: true, ports: [] }).plugins[0]?.mtu, 1450);
  const lower = { ...overlay, options: { 'com.docker.network.driver.mtu': '1400' } };
  assert.equal(attachmentConfList({ network: lower, ipamDataDir: '/d', primary: true, ports: [] }).plugins[0]?.mtu, 1400);
  assert.equal(attachmentConfList({ network, ipamDataDir: '/d', primary: true, ports: [] }).plugins[0]?.mtu, undefined);
});
