import { test } from 'node:test';
import assert from 'node:assert/strict';
import { etcFiles } from './etc-files.js';

test('no network: loopback hosts with the container name, resolv.conf without nameservers', () => {
  const files = etcFiles({ hostname: 'abc', domainname: 'example.org', networkMode: 'none', hostResolvConf: 'nameserver 10.0.0.1\nsearch lan\noptions ndots:2\n' });
  assert.match(files.hosts, /^127\.0\.0\.1\tlocalhost$/m);
  assert.match(files.hosts, /^127\.0\.0\.1\tabc\.example\.org abc$/m);
  assert.equal(files.hostname, 'abc\n');
  assert.equal(files.resolvConf, 'search lan\noptions ndots:2\n');
});

test('host network: the host files', () => {
  const files = etcFiles({ hostname: 'h', networkMode: 'host', hostHosts: 'H', hostResolvConf: 'R' });
  assert.deepEqual(files, { hosts: 'H', hostname: 'h\n', resolvConf: 'R' });
});
