import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromDockerPortBindings, parsePortKey, parsePublishSpec, publishAllPorts, toDockerPortBindings } from './port-specs.js';

test('parsePublishSpec reads the forms of -p', () => {
  assert.deepEqual(parsePublishSpec('8080:80'), [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 8080 }]);
  assert.deepEqual(parsePublishSpec('127.0.0.1:8080:80/udp'), [{ containerPort: 80, protocol: 'udp', hostIp: '127.0.0.1', hostPort: 8080 }]);
  assert.deepEqual(parsePublishSpec('80'), [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 0 }]);
  assert.deepEqual(parsePublishSpec('127.0.0.1::80'), [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 0 }]);
  assert.deepEqual(parsePublishSpec('9000-9001:80-81').map((b) => [b.hostPort, b.containerPort]), [[9000, 80], [9001, 81]]);
});

test('parsePublishSpec rejects malformed specs with invalid-argument', () => {
  for (const spec of ['', 'x:80', '80/icmp', '1:2:3:4', '70000', '9000-9002:80-81', 'host:80:80']) {
    assert.throws(() => parsePublishSpec(spec), (err: unknown) => err instanceof Error && 'kind' in err && err.kind === 'invalid-argument', spec);
  }
});

test('PortBindings map round trip and port keys', () => {
  const bindings = fromDockerPortBindings({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostPort: '' }] });
  assert.deepEqual(bindings, [
    { containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 },
    { containerPort: 53, protocol: 'udp', hostIp: '', hostPort: 0 },
  ]);
  assert.deepEqual(toDockerPortBindings(bindings), { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostIp: '', HostPort: '' }] });
  assert.deepEqual(parsePortKey('80-81/udp'), [{ port: 80, protocol: 'udp' }, { port: 81, protocol: 'udp' }]);
});

test('HostPort "0" (what testcontainers sends) and -p 0:80 mean a free port, as "" does', () => {
  assert.deepEqual(fromDockerPortBindings({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }] }), [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 0 }]);
  assert.deepEqual(fromDockerPortBindings({ '80-81/tcp': [{ HostPort: '0' }] }).map((b) => b.hostPort), [0, 0]);
  assert.deepEqual(parsePublishSpec('0:80'), [{ containerPort: 80, protocol: 'tcp', hostIp: '', hostPort: 0 }]);
  assert.deepEqual(parsePublishSpec('127.0.0.1:0:80-81').map((b) => b.hostPort), [0, 0]);
});

test('publishAllPorts adds a free-port binding for each exposed port not bound yet', () => {
  const bound = [{ containerPort: 80, protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: 8080 }];
  assert.deepEqual(publishAllPorts(bound, { '80/tcp': {}, '53/udp': {}, '9000-9001': {} }), [
    ...bound,
    { containerPort: 53, protocol: 'udp', hostIp: '', hostPort: 0 },
    { containerPort: 9000, protocol: 'tcp', hostIp: '', hostPort: 0 },
    { containerPort: 9001, protocol: 'tcp', hostIp: '', hostPort: 0 },
  ]);
  assert.deepEqual(publishAllPorts([], null), []);
});
