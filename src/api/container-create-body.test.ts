import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerCreate, createRequestFromBody } from './container-create-body.js';
import { containerCreateBodySchema } from '../wire/containers.js';
import type { HostResources } from './resource-ranges.js';

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
  assert.deepEqual(request.log, { type: 'json-file', config: { 'max-size': '10m' } });
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
  assert.throws(() => parse({ PidMode: 'container:abc' }), /HostConfig.PidMode: "container:abc" is not supported/);
  assert.throws(() => containerCreateBodySchema.parse({ Image: 5 }));
});

test('Binds, Mounts, Config.Volumes, Tmpfs and Init become mount requests and options', () => {
  const body = containerCreateBodySchema.parse({
    Image: 'x', Volumes: { '/anon': {}, '/data': {} },
    HostConfig: {
      Binds: ['/srv/www:/www:ro,rshared', 'cache:/cache:nocopy', '/data'], Init: true, Tmpfs: { '/run': 'size=64m,mode=1777' },
      Mounts: [
        { Type: 'volume', Source: 'db', Target: '/db', VolumeOptions: { NoCopy: true, DriverConfig: { Name: 'local', Options: { uid: '1000' } }, Labels: { a: 'b' } } },
        { Type: 'bind', Source: '/etc/x', Target: '/x', ReadOnly: true, BindOptions: { Propagation: 'rslave' } },
        { Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } },
      ],
    },
  });
  const request = createRequestFromBody(body, undefined);
  assert.equal(request.options.init, true);
  assert.deepEqual(request.options.tmpfs, { '/run': 'size=64m,mode=1777' });
  assert.deepEqual(request.mounts, [
    { type: 'bind', source: '/srv/www', target: '/www', readOnly: true, propagation: 'rshared', createHostPath: true },
    { type: 'volume', source: 'cache', target: '/cache', readOnly: false, noCopy: true },
    { type: 'volume', target: '/data', readOnly: false, noCopy: false },
    { type: 'volume', source: 'db', target: '/db', readOnly: false, noCopy: true, driver: 'local', driverOptions: { uid: '1000' }, labels: { a: 'b' } },
    { type: 'bind', source: '/etc/x', target: '/x', readOnly: true, propagation: 'rslave', createHostPath: false },
    { type: 'tmpfs', target: '/t', readOnly: false, sizeBytes: 1048576, mode: 0o1770 },
    { type: 'volume', target: '/anon', readOnly: false, noCopy: false },
  ]);
});

test('bad mounts are refused naming the field', () => {
  const parse = (hostConfig: unknown) => createRequestFromBody(containerCreateBodySchema.parse({ Image: 'x', HostConfig: hostConfig }), undefined);
  assert.throws(() => parse({ Mounts: [{ Type: 'bind', Target: '/x' }] }), /Mounts\[0\]: invalid mount config for type "bind": field Source must not be empty/);
  assert.throws(() => parse({ Mounts: [{ Type: 'tmpfs', Source: 'x', Target: '/x' }] }), /source must not be specified/);
  assert.throws(() => parse({ Mounts: [{ Type: 'volume', Target: 'rel' }] }), /Mounts\[0\].Target: invalid mount path "rel"/);
  assert.throws(() => parse({ Mounts: [{ Type: 'npipe', Target: '/x' }] }), /mount type unknown/);
  assert.throws(() => parse({ Mounts: [{ Type: 'volume', Target: '/x', BindOptions: {} }] }), /BindOptions must not be specified/);
  assert.throws(() => parse({ Binds: ['a:b:c:d'] }), /Binds\[0\]: invalid volume specification/);
});

test('HostConfig.Runtime names the runtime; empty or absent leaves the daemon\'s default', () => {
  const request = (host: Record<string, unknown>): ReturnType<typeof createRequestFromBody> =>
    createRequestFromBody(containerCreateBodySchema.parse({ Image: 'busybox', HostConfig: host }), undefined);
  assert.equal(request({ Runtime: 'crun' }).runtime, 'crun');
  assert.equal(request({ Runtime: '' }).runtime, undefined);
  assert.equal(request({}).runtime, undefined);
  assert.throws(() => containerCreateBodySchema.parse({ Image: 'busybox', HostConfig: { Runtime: 7 } }));
});

test('HostConfig.UsernsMode: auto or host; empty is the daemon default; anything else names the field', () => {
  const parse = (mode: string | undefined) => createRequestFromBody(containerCreateBodySchema.parse({ Image: 'x', HostConfig: { UsernsMode: mode } }), undefined);
  assert.equal(parse('auto').usernsMode, 'auto');
  assert.equal(parse('host').usernsMode, 'host');
  assert.equal(parse('').usernsMode, undefined);
  assert.equal(parse(undefined).usernsMode, undefined);
  assert.throws(() => parse('keep-id'), (err) => err instanceof Error && 'kind' in err && err.kind === 'invalid-argument' && /HostConfig\.UsernsMode/.test(err.message));
});

test('networking: IPAMConfig.IPv4Address, MacAddress and ExposedPorts reach the network request; with host or none they are refused', () => {
  const parse = (body: Record<string, unknown>) => createRequestFromBody(containerCreateBodySchema.parse({ Image: 'x', ...body }), undefined);
  const request = parse({
    MacAddress: '02:42:ac:11:00:02', ExposedPorts: { '80/tcp': {}, '53/udp': {} }, HostConfig: { NetworkMode: 'lan' },
    NetworkingConfig: { EndpointsConfig: { lan: { IPAMConfig: { IPv4Address: '10.50.0.9' }, MacAddress: '02:42:ac:11:00:03' } } },
  });
  assert.deepEqual(request.network?.endpoints, { lan: { aliases: [], ipamConfig: true, ipv4Address: '10.50.0.9', macAddress: '02:42:ac:11:00:03' } });
  assert.equal(request.network.macAddress, '02:42:ac:11:00:02');
  assert.deepEqual(request.network.exposedPorts, ['80/tcp', '53/udp']);
  assert.throws(() => parse({ MacAddress: '02:42:ac:11:00:02', HostConfig: { NetworkMode: 'host' } }), /conflicting options/);
  assert.throws(() => parse({ NetworkingConfig: { EndpointsConfig: { lan: { IPAMConfig: { IPv6Address: 'fd00::9' } } } }, HostConfig: { NetworkMode: 'none' } }), /conflicting options/);
});

test('networking: IPv6 and link-local addresses, links and driver options reach the endpoint request as given', () => {
  const parse = (body: Record<string, unknown>) => createRequestFromBody(containerCreateBodySchema.parse({ Image: 'x', ...body }), undefined);
  const request = parse({
    HostConfig: { NetworkMode: 'lan' },
    NetworkingConfig: { EndpointsConfig: { lan: { IPAMConfig: { IPv6Address: 'fd00:1::9', LinkLocalIPs: ['169.254.1.1'] }, Links: ['db:database'], DriverOpts: {} }, other: { Aliases: ['x'] } } },
  });
  assert.deepEqual(request.network?.endpoints, {
    lan: { aliases: [], ipamConfig: true, ipv6Address: 'fd00:1::9', linkLocalIPs: ['169.254.1.1'], links: ['db:database'], driverOpts: {} },
    other: { aliases: ['x'] },
  });
});

test('containerCreate: dockerd\'s decoding and resource checks, berth\'s limits, exact integers, warnings', () => {
  const host: HostResources = { cpus: 2, cpusetCpus: '0-1', cpusetMems: '0', swapLimit: true, memorySwappiness: false, blkioWeight: false, blkioWeightDevice: false };
  const create = (hostConfig: Record<string, unknown>, extra: Record<string, unknown> = {}, name?: string) =>
    containerCreate({ Image: 'busybox', ...extra, HostConfig: { NetworkMode: 'none', ...hostConfig } }, name, host);
  const largest = create({ Memory: 9223372036854775807n, KernelMemory: 7 * 1024 * 1024, MemorySwappiness: 10, Ulimits: [{ Name: 'core', Soft: 9223372036854775807n, Hard: 9223372036854775807n }] });
  assert.equal(largest.request.options.memory, Number.MAX_SAFE_INTEGER);
  assert.deepEqual(largest.request.options.ulimits, [{ name: 'core', soft: Number.MAX_SAFE_INTEGER, hard: Number.MAX_SAFE_INTEGER }]);
  assert.equal(largest.request.options.memorySwappiness, undefined);
  assert.equal(largest.warnings.length, 2);
  assert.throws(() => create({ Memory: 9223372036854775808n }), { message: 'json: cannot unmarshal number 9223372036854775808 into Go struct field HostConfig.HostConfig.Memory of type int64' });
  assert.throws(() => create({ NanoCpus: 1e15 }), { message: 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available' });
  assert.throws(() => create({}, { Labels: { x: 'v'.repeat(65537) } }), { message: 'label "x" value is 65537 bytes, the limit is 65536' });
  assert.throws(() => create({ Binds: [`${'v'.repeat(256)}:/data`] }), { reason: 'input-too-large' });
  assert.throws(() => create({}, {}, 'n'.repeat(256)), { reason: 'input-too-large' });
  assert.deepEqual(create({ NanoCpus: 2e9 }, { Labels: { x: 'v'.repeat(60 * 1024) } }).warnings, []);
});
