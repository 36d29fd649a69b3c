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
    nanoCpus: 500000000, ulimits: [{ name: 'nofile', soft: 10, hard: 20 }], networkMode: 'none', ipcMode: 'private',
  });
});

test('what berth cannot do yet is refused by name', () => {
  const parse = (hostConfig: unknown) => createRequestFromBody(containerCreateBodySchema.parse({ Image: 'x', HostConfig: hostConfig }), undefined);
  assert.throws(() => parse({ Binds: ['/a:/b'] }), /volumes and bind mounts are not supported yet/);
  assert.throws(() => parse({ NetworkMode: 'mynet' }), /network mynet not found/);
  assert.throws(() => parse({ PidMode: 'container:abc' }), /HostConfig.PidMode: "container:abc" is not supported/);
  assert.throws(() => parse({ LogConfig: { Type: 'syslog' } }), /log driver "syslog" is not supported/);
  assert.throws(() => containerCreateBodySchema.parse({ Image: 5 }));
});
