import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerCreateBodySchema, createRequestFromBody } from './container-create-body.js';

test('a docker CLI body: zero values are defaults, modes and limits map to the engine request', () => {
  const body = containerCreateBodySchema.parse({
    Image: 'busybox', Cmd: ['sh'], Tty: true, OpenStdin: true, StdinOnce: true, Env: ['A=1'], Unknown: 'ignored',
    HostConfig: {
      Memory: 67108864, MemorySwap: 0, CpuShares: 0, NanoCpus: 500000000, PidsLimit: null, NetworkMode: 'default',
      IpcMode: 'shareable', AutoRemove: true, Ulimits: [{ Name: 'nofile', Soft: 10, Hard: 20 }],
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m' } }, ConsoleSize: [30, 100],
    },
  });
  const request = createRequestFromBody(body, 'web');
  assert.equal(request.name, 'web');
  assert.equal(request.autoRemove, true);
  assert.equal(request.logMaxSize, 10 * 1024 * 1024);
  assert.deepEqual(request.consoleSize, [30, 100]);
  assert.deepEqual(request.options, {
    cmd: ['sh'], env: ['A=1'], tty: true, openStdin: true, readOnly: false, privileged: false, memory: 67108864,
    nanoCpus: 500000000, ulimits: [{ name: 'nofile', soft: 10, hard: 20 }], ipcMode: 'private',
  });
  assert.equal(request.network?.mode, 'default');
});

test('networking: none/host stay namespace modes; networks, endpoints, ports, dns and extra hosts become the network request', () => {
  const parse = (body: Record<string, unknown>) => createRequestFromBody(containerCreateBodySchema.parse({ Image: 'x', ...body }), undefined);
  assert.equal(parse({ HostConfig: { NetworkMode: 'none' } }).options.networkMode, 'none');
  assert.equal(parse({ NetworkDisabled: true }).options.networkMode, 'none');
  assert.equal(parse({ HostConfig: { NetworkMode: 'host' } }).options.networkMode, 'host');
  const request = parse({
    HostConfig: {
      NetworkMode: 'front', PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }, PublishAllPorts: true,
      Dns: ['192.0.2.53'], ExtraHosts: ['gw:host-gateway'],
    },
    NetworkingConfig: { EndpointsConfig: { front: { Aliases: ['site'] }, back: null } },
  });
  assert.equal(request.options.networkMode, undefined);
  assert.deepEqual(request.network, {
    mode: 'front', endpoints: { front: { aliases: ['site'] }, back: { aliases: [] } },
    ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8080 }], publishAll: true,
    dns: ['192.0.2.53'], dnsSearch: [], extraHosts: ['gw:host-gateway'],
  });
});

test('what berth cannot do yet is refused by name', () => {
  const parse = (hostConfig: unknown) => createRequestFromBody(containerCreateBodySchema.parse({ Image: 'x', HostConfig: hostConfig }), undefined);
  assert.throws(() => parse({ Binds: ['/a:/b'] }), /volumes and bind mounts are not supported yet/);
  assert.throws(() => parse({ PidMode: 'container:abc' }), /HostConfig.PidMode: "container:abc" is not supported/);
  assert.throws(() => parse({ LogConfig: { Type: 'syslog' } }), /log driver "syslog" is not supported/);
  assert.throws(() => containerCreateBodySchema.parse({ Image: 5 }));
});
