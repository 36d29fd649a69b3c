import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { containerResources, DEFAULT_DEVICE_RULES } from './container-resources.js';
import { containerRlimits } from './container-rlimits.js';
import { containerSysctls } from './container-sysctls.js';

const MiB = 1024 * 1024;
const invalid = (option: string) => (err: unknown) => isBerthError(err, 'invalid-argument') && err.message.startsWith(option);

test('no options: only the default device rules', () => {
  assert.deepEqual(containerResources({}), { devices: DEFAULT_DEVICE_RULES });
  assert.deepEqual(containerResources({ privileged: true }).devices, [{ allow: true, access: 'rwm' }]);
});

test('memory: swap defaults to twice memory; -1 leaves swap unlimited; explicit total kept', () => {
  assert.deepEqual(containerResources({ memory: 100 * MiB }).memory, { limit: 100 * MiB, swap: 200 * MiB });
  assert.deepEqual(containerResources({ memory: 100 * MiB, memorySwap: -1 }).memory, { limit: 100 * MiB });
  assert.deepEqual(containerResources({ memory: 100 * MiB, memorySwap: 150 * MiB, memoryReservation: 50 * MiB }).memory, {
    limit: 100 * MiB,
    reservation: 50 * MiB,
    swap: 150 * MiB,
  });
});

test('memory validation', () => {
  assert.throws(() => containerResources({ memory: 1024 }), invalid('memory:'));
  assert.throws(() => containerResources({ memory: 100 * MiB, memorySwap: 50 * MiB }), invalid('memorySwap'));
  assert.throws(() => containerResources({ memorySwap: 50 * MiB }), invalid('memorySwap'));
  assert.throws(() => containerResources({ memory: 10 * MiB, memoryReservation: 20 * MiB }), invalid('memoryReservation'));
});

test('cpus: nanoCpus → quota over a 100ms period; shares, cpuset, explicit quota/period', () => {
  assert.deepEqual(containerResources({ nanoCpus: 1_500_000_000 }).cpu, { period: 100_000, quota: 150_000 });
  assert.deepEqual(containerResources({ nanoCpus: 10_000_000 }).cpu, { period: 100_000, quota: 1000 });
  assert.deepEqual(containerResources({ cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 200_000, cpusetCpus: '0-1', cpusetMems: '0' }).cpu, {
    shares: 512,
    cpus: '0-1',
    mems: '0',
    period: 200_000,
    quota: 50_000,
  });
  assert.throws(() => containerResources({ nanoCpus: 1e9, cpuQuota: 50_000 }), invalid('nanoCpus'));
  assert.throws(() => containerResources({ cpuPeriod: 10 }), invalid('cpuPeriod'));
  assert.throws(() => containerResources({ cpusetCpus: '1-0' }), invalid('cpusetCpus'));
});

test('pids: positive kept, zero or negative is unlimited', () => {
  assert.deepEqual(containerResources({ pidsLimit: 100 }).pids, { limit: 100 });
  assert.deepEqual(containerResources({ pidsLimit: 0 }).pids, { limit: -1 });
});

test('rlimits: default nofile and user ulimits clamped to the host hard limits', () => {
  const host = { nofileHard: 20000, nprocHard: 4096 };
  assert.deepEqual(containerRlimits([], host), [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
  assert.deepEqual(
    containerRlimits(
      [
        { name: 'nofile', soft: 1024, hard: 65536 },
        { name: 'NPROC', soft: 10000, hard: 10000 },
        { name: 'core', soft: 0, hard: 1000 },
      ],
      host,
    ),
    [
      { type: 'RLIMIT_NOFILE', soft: 1024, hard: 20000 },
      { type: 'RLIMIT_NPROC', soft: 4096, hard: 4096 },
      { type: 'RLIMIT_CORE', soft: 0, hard: 1000 },
    ],
  );
  assert.deepEqual(containerRlimits([{ name: 'nofile', soft: -1, hard: -1 }], host), [{ type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 }]);
  assert.throws(() => containerRlimits([{ name: 'bogus', soft: 1, hard: 1 }], host), invalid('ulimits'));
  assert.throws(() => containerRlimits([{ name: 'core', soft: 2, hard: 1 }], host), invalid('ulimits'));
});

test('sysctls: defaults for a private network, namespaced user sysctls only', () => {
  const base = { privateNetwork: true, privateIpc: true, privateUts: true, domainname: 'example.org' };
  assert.deepEqual(containerSysctls({ ...base, sysctls: { 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '1000', 'fs.mqueue.msg_max': '20' } }), {
    'net.ipv4.ping_group_range': '0 2147483647',
    'net.ipv4.ip_unprivileged_port_start': '0',
    'kernel.domainname': 'example.org',
    'net.ipv4.ip_forward': '1',
    'kernel.shmmax': '1000',
    'fs.mqueue.msg_max': '20',
  });
  assert.deepEqual(containerSysctls({ ...base, privateNetwork: false, domainname: undefined, sysctls: { 'kernel.sem': '1 2 3 4' } }), { 'kernel.sem': '1 2 3 4' });
  assert.throws(() => containerSysctls({ ...base, sysctls: { 'vm.swappiness': '1' } }), invalid('sysctls'));
  assert.throws(() => containerSysctls({ ...base, sysctls: { 'kernel.pid_max': '1' } }), invalid('sysctls'));
  assert.throws(() => containerSysctls({ ...base, privateNetwork: false, sysctls: { 'net.core.somaxconn': '1' } }), invalid('sysctls'));
  assert.throws(() => containerSysctls({ ...base, privateIpc: false, sysctls: { 'kernel.msgmax': '1' } }), invalid('sysctls'));
});

test('swappiness, real-time CPU and device cgroup rules', () => {
  assert.deepEqual(containerResources({ memorySwappiness: 0 }).memory, { swappiness: 0 });
  assert.equal(containerResources({ memorySwappiness: -1 }).memory, undefined);
  assert.throws(() => containerResources({ memorySwappiness: 101 }), invalid('memorySwappiness: Invalid value: 101, valid memory swappiness range is 0-100'));
  assert.deepEqual(containerResources({ cpuRealtimePeriod: 1_000_000, cpuRealtimeRuntime: 950_000 }).cpu, { realtimePeriod: 1_000_000, realtimeRuntime: 950_000 });
  assert.deepEqual(containerResources({ cpuRealtimeRuntime: 2000 }).cpu, { realtimeRuntime: 2000 });
  assert.throws(() => containerResources({ cpuRealtimePeriod: 1000, cpuRealtimeRuntime: 2000 }), invalid('cpuRealtimeRuntime: cpu real-time runtime cannot be higher'));
  assert.throws(() => containerResources({ cpuRealtimePeriod: -1 }), invalid('cpuRealtimePeriod'));
  assert.deepEqual(containerResources({ deviceCgroupRules: ['c 10:237 r'] }).devices, [...DEFAULT_DEVICE_RULES, { allow: true, type: 'c', major: 10, minor: 237, access: 'r' }]);
  assert.deepEqual(containerResources({ privileged: true, deviceCgroupRules: ['c 10:237 r'] }).devices, [{ allow: true, access: 'rwm' }]);
  assert.throws(() => containerResources({ deviceCgroupRules: ['c 1:3'] }), invalid("deviceCgroupRules[0]: invalid device cgroup rule format: 'c 1:3'"));
});
