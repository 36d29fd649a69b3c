import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROGRAM } from '../main.js';
import { parseArgs } from '../args/parse-args.js';
import { argOf, argsOf, flagsOf } from '../args/command-spec.js';
import { serviceSpecFromFlags, type ServiceCreateFlags } from './service-flags.js';

/** `berth service create …` parsed as the CLI parses it, then converted. */
function specOf(...argv: string[]): ReturnType<typeof serviceSpecFromFlags> {
  const parsed = parseArgs(PROGRAM, ['service', 'create', ...argv]);
  if (parsed.kind !== 'run') throw new Error('not a run');
  const { args, options } = parsed.invocation;
  return serviceSpecFromFlags(argOf(args, 'image'), argsOf(args, 'command'), flagsOf<ServiceCreateFlags>(options), { HOME: '/root' });
}

test('service create flags become Docker\'s ServiceSpec', () => {
  assert.deepEqual(specOf(
    '--name', 'web', '--replicas', '3', '--constraint', 'node.role==worker', '--constraint', 'node.labels.zone!=b',
    '--placement-pref', 'spread=node.labels.zone', '--replicas-max-per-node', '2',
    '--reserve-cpu', '0.5', '--reserve-memory', '256m', '--limit-cpu', '1.5', '--limit-memory', '1g', '--limit-pids', '100',
    '--restart-condition', 'on-failure', '--restart-delay', '5s', '--restart-max-attempts', '3', '--restart-window', '1m30s',
    '-e', 'A=1', '-e', 'HOME', '-e', 'UNSET', '-l', 'tier=front', '--container-label', 'c=d',
    '--mount', 'type=volume,source=data,target=/data,readonly', '-d',
    'nginx:1.27', 'nginx', '-g', 'daemon off;',
  ), {
    Name: 'web',
    Labels: { tier: 'front' },
    Mode: { Replicated: { Replicas: 3 } },
    TaskTemplate: {
      ContainerSpec: {
        Image: 'nginx:1.27', Args: ['nginx', '-g', 'daemon off;'], Env: ['A=1', 'HOME=/root'], Labels: { c: 'd' },
        Mounts: [{ Type: 'volume', Source: 'data', Target: '/data', ReadOnly: true }],
      },
      Resources: {
        Limits: { NanoCPUs: 1_500_000_000, MemoryBytes: 1024 ** 3, Pids: 100 },
        Reservations: { NanoCPUs: 500_000_000, MemoryBytes: 256 * 1024 ** 2 },
      },
      RestartPolicy: { Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3, Window: 90e9 },
      Placement: { Constraints: ['node.role==worker', 'node.labels.zone!=b'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.zone' } }], MaxReplicas: 2 },
    },
  });
});

test('the least service: one replica of the image\'s command; global mode has no replica count', () => {
  assert.deepEqual(specOf('busybox'), { Mode: { Replicated: { Replicas: 1 } }, TaskTemplate: { ContainerSpec: { Image: 'busybox' } } });
  assert.deepEqual(specOf('--mode', 'global', 'busybox').Mode, { Global: {} });
  assert.deepEqual(specOf('--replicas', '0', 'busybox').Mode, { Replicated: { Replicas: 0 } });
});

test('bad flags are refused naming the flag', () => {
  const refused: [string[], RegExp][] = [
    [['--replicas', 'three'], /--replicas three: want a whole number/],
    [['--replicas', '-1'], /--replicas -1/],
    [['--mode', 'global', '--replicas', '2'], /--replicas 2: only a replicated service or job has replicas/],
    [['--mode', 'global', '--replicas-max-per-node', '1'], /--replicas-max-per-node 1/],
    [['--mode', 'job'], /--mode job: want replicated, global, replicated-job, global-job/],
    [['--placement-pref', 'pack=node.labels.zone'], /--placement-pref pack=node\.labels\.zone: unsupported strategy "pack"/],
    [['--placement-pref', 'spread='], /--placement-pref spread=: want spread=ATTRIBUTE/],
    [['--limit-cpu', 'lots'], /--limit-cpu lots: want a number of CPUs/],
    [['--reserve-memory', '1x'], /--reserve-memory: invalid size "1x"/],
    [['--restart-condition', 'always'], /--restart-condition always: want none, on-failure or any/],
    [['--restart-delay', '5'], /--restart-delay 5: want a duration/],
    [['--mount', 'type=bind,source=/h'], /--mount type=bind,source=\/h: target is required/],
    [['--mount', 'type=tmpfs,target=/t,tmpfs-size=1m'], /--mount type=tmpfs,target=\/t,tmpfs-size=1m: a service mount takes type, source, target and readonly only/],
    [['--label', '=x'], /--label =x: want key=value/],
  ];
  for (const [flags, message] of refused) assert.throws(() => specOf(...flags, 'busybox'), message, flags.join(' '));
});

test('--network and --endpoint-mode become TaskTemplate.Networks and EndpointSpec', () => {
  const spec = specOf('--network', 'front', '--network', 'name=back,alias=api,alias=v1', '--endpoint-mode', 'dnsrr', 'busybox');
  assert.deepEqual(spec.TaskTemplate?.Networks, [{ Target: 'front' }, { Target: 'back', Aliases: ['api', 'v1'] }]);
  assert.deepEqual(spec.EndpointSpec, { Mode: 'dnsrr' });
  assert.throws(() => specOf('--network', 'alias=x', 'busybox'), /--network alias=x: a network name is required/);
  assert.throws(() => specOf('--network', 'name=a,driver-opt=x', 'busybox'), /unknown or empty field "driver-opt=x"/);
  assert.throws(() => specOf('--endpoint-mode', 'rr', 'busybox'), /--endpoint-mode rr: want vip or dnsrr/);
});

test('--health-* flags become ContainerSpec.Healthcheck (nanoseconds); --no-healthcheck is Test NONE', () => {
  assert.deepEqual(specOf('--health-cmd', 'wget -qO- localhost', '--health-interval', '1s', '--health-retries', '2', 'busybox').TaskTemplate?.ContainerSpec?.Healthcheck, {
    Test: ['CMD-SHELL', 'wget -qO- localhost'], Interval: 1e9, Retries: 2,
  });
  assert.deepEqual(specOf('--no-healthcheck', 'busybox').TaskTemplate?.ContainerSpec?.Healthcheck, { Test: ['NONE'] });
  assert.equal(specOf('busybox').TaskTemplate?.ContainerSpec?.Healthcheck, undefined);
});

test('-p publishes through the mesh: PUBLISHED:TARGET[/udp], TARGET alone, Docker\'s long form with mode=host; bad ones are refused naming the flag', () => {
  assert.deepEqual(specOf('-p', '8080:80', '-p', '53/udp', '--publish', 'published=443,target=8443,mode=host', 'busybox').EndpointSpec, {
    Ports: [
      { PublishedPort: 8080, TargetPort: 80, Protocol: 'tcp', PublishMode: 'ingress' },
      { TargetPort: 53, Protocol: 'udp', PublishMode: 'ingress' },
      { TargetPort: 8443, PublishedPort: 443, Protocol: 'tcp', PublishMode: 'host' },
    ],
  });
  assert.throws(() => specOf('-p', '127.0.0.1:8080:80', 'busybox'), /--publish 127\.0\.0\.1:8080:80: .*a host address cannot be given/);
  assert.throws(() => specOf('-p', '8080:99999', 'busybox'), /--publish 8080:99999: target "99999" is not a port from 1 to 65535/);
  assert.throws(() => specOf('-p', 'published=80,dest=81', 'busybox'), /--publish published=80,dest=81: unknown or empty field "dest=81"/);
  assert.throws(() => specOf('-p', 'published=80', 'busybox'), /a target port is required/);
});

test('--update-* and --rollback-* on create give UpdateConfig and RollbackConfig over Swarm\'s defaults; none given: neither is sent', () => {
  const spec = specOf('--update-parallelism', '2', '--update-order', 'start-first', '--update-failure-action', 'rollback', '--update-delay', '10s', '--rollback-monitor', '1s', 'busybox');
  assert.deepEqual(spec.UpdateConfig, { Parallelism: 2, Delay: 10e9, FailureAction: 'rollback', Monitor: 5e9, MaxFailureRatio: 0, Order: 'start-first' });
  assert.deepEqual(spec.RollbackConfig, { Parallelism: 1, FailureAction: 'pause', Monitor: 1e9, MaxFailureRatio: 0, Order: 'stop-first' });
  assert.equal(specOf('busybox').UpdateConfig, undefined);
  assert.throws(() => specOf('--rollback-failure-action', 'rollback', 'busybox'), /--rollback-failure-action rollback: want pause, continue/);
  assert.throws(() => specOf('--update-max-failure-ratio', '2', 'busybox'), /want a fraction from 0 to 1/);
});
