import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseReference } from '../../oci/reference.js';
import { registryDomain } from '../../wire/registry-domain.js';
import { isLoopback, resolveEndpoint } from './registry-endpoint.js';

test('Docker Hub references go to registry-1.docker.io over HTTPS', () => {
  const ref = parseReference('busybox');
  assert.deepEqual(resolveEndpoint(ref.domain), { domain: 'docker.io', host: 'registry-1.docker.io', schemes: ['https'] });
  assert.equal(resolveEndpoint('index.docker.io').host, 'registry-1.docker.io');
  assert.equal(registryDomain('https://index.docker.io/v1/'), 'docker.io');
});

test('other registries keep host and port; loopback is plain HTTP; insecure ones try HTTPS first', () => {
  assert.deepEqual(resolveEndpoint(parseReference('ghcr.io/o/app:1').domain), { domain: 'ghcr.io', host: 'ghcr.io', schemes: ['https'] });
  assert.deepEqual(resolveEndpoint('127.0.0.1:5000'), { domain: '127.0.0.1:5000', host: '127.0.0.1:5000', schemes: ['http'] });
  assert.deepEqual(resolveEndpoint('localhost:5000').schemes, ['http']);
  assert.deepEqual(resolveEndpoint('[::1]:5000').schemes, ['http']);
  assert.deepEqual(resolveEndpoint('registry.lan:5000', ['registry.lan:5000']).schemes, ['https', 'http']);
  assert.deepEqual(resolveEndpoint('registry.lan:5000', ['registry.lan']).schemes, ['https', 'http']);
  assert.deepEqual(resolveEndpoint('registry.lan:5000', ['other.lan']).schemes, ['https']);
  assert.deepEqual(resolveEndpoint('registry.lan:5000', ['http://registry.lan:5000/']).schemes, ['https', 'http']);
});

test('loopback: 127.0.0.0/8, localhost, ::1 and nothing else', () => {
  for (const host of ['127.0.0.1', '127.1.2.3:80', 'localhost', 'LOCALHOST:5000', '[::1]:443']) assert.equal(isLoopback(host), true, host);
  for (const host of ['128.0.0.1', '10.0.0.1:5000', 'example.com', '127.0.0.1.example.com']) assert.equal(isLoopback(host), false, host);
});
