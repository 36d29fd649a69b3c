import assert from 'node:assert/strict';
import { test } from 'node:test';
import { networkHosts, networkResolvConf } from './container-etc.js';

const base = { hostname: 'web', gateway: '10.89.0.1', extraHosts: ['host.docker.internal:host-gateway', 'db:10.1.2.3'], dns: [], dnsSearch: [] };

test('hosts has loopback, extra hosts (host-gateway = gateway) and the own address', () => {
  const hosts = networkHosts({ ...base, ip: '10.89.0.2' });
  assert.match(hosts, /^127\.0\.0\.1\tlocalhost$/m);
  assert.match(hosts, /^10\.89\.0\.1\thost\.docker\.internal$/m);
  assert.match(hosts, /^10\.1\.2\.3\tdb$/m);
  assert.match(hosts, /^10\.89\.0\.2\tweb$/m);
});

test('resolv.conf points at the gateway unless --dns is given, keeping the host search and options', () => {
  const host = 'nameserver 192.0.2.53\nsearch example.test\noptions ndots:2\n';
  assert.equal(networkResolvConf({ ...base, hostResolvConf: host }), 'nameserver 10.89.0.1\nsearch example.test\noptions ndots:2\n');
  assert.equal(networkResolvConf({ ...base, dns: ['192.0.2.1'], dnsSearch: ['a.test'] }), 'nameserver 192.0.2.1\nsearch a.test\n');
});

test('on a network with IPv6 hosts names the container by its IPv6 address too', () => {
  const hosts = networkHosts({ ...base, ip: '10.89.0.2', ip6: 'fd00:1::2' });
  assert.match(hosts, /^10\.89\.0\.2\tweb\nfd00:1::2\tweb\n$/m);
});
