import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROGRAM } from '../main.js';
import { parseArgs } from '../args/parse-args.js';
import { argOf, argsOf, flagsOf } from '../args/command-spec.js';
import type { CreateFlags } from './container-flags.js';
import { createConfigFromFlags, nanoCpus, parseUlimit, tmpfsMounts } from './create-config.js';

/** Parses `berth run …argv` with the real command specs. */
function parseRun(argv: string[]): { image: string; args: string[]; flags: CreateFlags } {
  const parsed = parseArgs(PROGRAM, ['container', 'run', ...argv]);
  if (parsed.kind !== 'run') throw new Error(`not a run: ${parsed.kind}`);
  const { args, options } = parsed.invocation;
  return { image: argOf(args, 'image'), args: argsOf(args, 'command'), flags: flagsOf<CreateFlags>(options) };
}

test('flags after the image belong to the command', () => {
  const { image, args, flags } = parseRun(['--rm', '-e', 'A=1', 'busybox', 'ls', '-l', '--rm']);
  assert.equal(image, 'busybox');
  assert.deepEqual(args, ['ls', '-l', '--rm']);
  assert.equal(flags.rm, true);
  assert.deepEqual(flags.env, ['A=1']);
});

test('a full set of flags becomes Docker\'s create body', () => {
  const { image, args, flags } = parseRun([
    '-d', '-i', '-t', '--rm', '--name', 'web', '-e', 'A=1', '-e', 'FROM_HOST', '-e', 'UNSET', '-w', '/srv', '-u', '1000:1000',
    '--entrypoint', '/bin/sh', '-h', 'box', '--network', 'none', '-m', '64m', '--memory-swap', '-1', '--cpus', '1.5',
    '-c', '512', '--cpuset-cpus', '0', '--pids-limit', '100', '--ulimit', 'nofile=1024:2048', '--read-only', '--privileged',
    '--cap-add', 'NET_ADMIN', '--cap-drop', 'MKNOD', '--security-opt', 'no-new-privileges', '-l', 'a=b', '--label', 'flag',
    '--stop-signal', 'SIGINT', '--stop-timeout', '3', '--log-opt', 'max-size=10m', '--shm-size', '128m', '--tmpfs', '/run:size=1m',
    '--tmpfs', '/tmp', '--sysctl', 'net.ipv4.ip_forward=1', 'busybox', 'echo', 'hi',
  ]);
  const config = createConfigFromFlags(image, args, flags, { FROM_HOST: 'x' });
  assert.deepEqual(config, {
    Image: 'busybox', Cmd: ['echo', 'hi'], Entrypoint: ['/bin/sh'], Env: ['A=1', 'FROM_HOST=x'], WorkingDir: '/srv', User: '1000:1000',
    Hostname: 'box', Labels: { a: 'b', flag: '' }, Tty: true, OpenStdin: true, StdinOnce: false, AttachStdin: false,
    AttachStdout: false, AttachStderr: false, StopSignal: 'SIGINT', StopTimeout: 3,
    HostConfig: {
      Memory: 64 * 1024 * 1024, MemorySwap: -1, NanoCpus: 1_500_000_000, CpuShares: 512, CpusetCpus: '0', PidsLimit: 100,
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }], CapAdd: ['NET_ADMIN'], CapDrop: ['MKNOD'], Privileged: true,
      ReadonlyRootfs: true, SecurityOpt: ['no-new-privileges'], ShmSize: 128 * 1024 * 1024, Tmpfs: { '/run': 'size=1m', '/tmp': '' },
      Sysctls: { 'net.ipv4.ip_forward': '1' }, NetworkMode: 'none', AutoRemove: true, LogConfig: { Type: '', Config: { 'max-size': '10m' } },
    },
  });
});

test('attached run: stdin once with -i; no flags: the image\'s command and an empty host config', () => {
  const interactive = parseRun(['-i', 'busybox']);
  const config = createConfigFromFlags(interactive.image, interactive.args, interactive.flags, {});
  assert.equal(config.Cmd, undefined);
  assert.equal(config.StdinOnce, true);
  assert.equal(config.AttachStdin, true);
  assert.equal(config.AttachStdout, true);
  assert.deepEqual(config.HostConfig, {});
  const cleared = parseRun(['--entrypoint', '', 'busybox']);
  assert.deepEqual(createConfigFromFlags(cleared.image, cleared.args, cleared.flags, {}).Entrypoint, ['']);
});

test('bad values are refused naming the flag', () => {
  const bad = (argv: string[]): void => {
    const { image, args, flags } = parseRun([...argv, 'busybox']);
    createConfigFromFlags(image, args, flags, {});
  };
  assert.throws(() => { bad(['-m', 'lots']); }, /--memory: invalid size "lots"/);
  assert.throws(() => { bad(['--cpus', 'two']); }, /--cpus two/);
  assert.throws(() => { bad(['--pids-limit', '1.5']); }, /--pids-limit 1.5: not an integer/);
  assert.throws(() => { bad(['--sysctl', 'novalue']); }, /--sysctl novalue: want key=value/);
  assert.throws(() => { bad(['--tmpfs', 'relative']); }, /--tmpfs relative: the path must be absolute/);
  assert.throws(() => { bad(['--pull', 'always']); }, /cannot pull/);
  assert.throws(() => { bad(['-e', '=x']); }, /variable name is empty/);
  assert.throws(() => parseUlimit('nofile=10:5'), /soft limit 10 is above the hard limit 5/);
  assert.throws(() => parseUlimit('nofile'), /want name=soft\[:hard\]/);
});

test('small parsers', () => {
  assert.deepEqual(parseUlimit('nproc=64'), { Name: 'nproc', Soft: 64, Hard: 64 });
  assert.deepEqual(parseUlimit('core=-1'), { Name: 'core', Soft: -1, Hard: -1 });
  assert.equal(nanoCpus('0.5'), 500_000_000);
  assert.deepEqual(tmpfsMounts(['/a:ro,size=1m']), { '/a': 'ro,size=1m' });
});

test('--runtime becomes HostConfig.Runtime; absent, berthd picks its default', () => {
  const chosen = parseRun(['--runtime', 'crun', 'busybox']);
  assert.equal(createConfigFromFlags(chosen.image, chosen.args, chosen.flags, {}).HostConfig?.Runtime, 'crun');
  const plain = parseRun(['busybox']);
  assert.equal(createConfigFromFlags(plain.image, plain.args, plain.flags, {}).HostConfig?.Runtime, undefined);
});

test('--ip, --mac-address and --expose become the endpoint settings, MacAddress and ExposedPorts', () => {
  const { image, args, flags } = parseRun(['--network', 'lan', '--ip', '10.50.0.9', '--mac-address', '02:42:ac:11:00:02', '--expose', '80', '--expose', '9000-9001/udp', 'busybox']);
  const config = createConfigFromFlags(image, args, flags, {});
  assert.deepEqual(config.NetworkingConfig, { EndpointsConfig: { lan: { IPAMConfig: { IPv4Address: '10.50.0.9' } } } });
  assert.equal(config.MacAddress, '02:42:ac:11:00:02');
  assert.deepEqual(config.ExposedPorts, { '80/tcp': {}, '9000/udp': {}, '9001/udp': {} });
  const bad = parseRun(['--expose', '80/icmp', 'busybox']);
  assert.throws(() => createConfigFromFlags(bad.image, bad.args, bad.flags, {}), /--expose/);
});
