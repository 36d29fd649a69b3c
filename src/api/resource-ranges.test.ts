import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkResources, type HostResources, type ResourceFields } from './resource-ranges.js';

const HOST: HostResources = {
  cpus: 2, cpusetCpus: '0-1', cpusetMems: '0', swapLimit: true, memorySwappiness: true, blkioWeight: false, blkioWeightDevice: false,
};
const MiB = 1024 * 1024;

const refusal = (fields: ResourceFields, host: Partial<HostResources> = {}, update = false): string => {
  try {
    checkResources(fields, { ...HOST, ...host }, update);
  } catch (err) {
    assert.ok(err instanceof Error && 'kind' in err && err.kind === 'invalid-argument');
    return err.message;
  }
  return 'accepted';
};

test("memory: dockerd's minimums and orderings", () => {
  assert.equal(refusal({ Memory: 6 * MiB - 1 }), 'Minimum memory limit allowed is 6MB');
  assert.equal(refusal({ Memory: -1 }), 'Minimum memory limit allowed is 6MB');
  assert.equal(refusal({ Memory: 6 * MiB }), 'accepted');
  assert.equal(refusal({ Memory: 9223372036854775807n, MemorySwap: 9223372036854775807n }), 'accepted');
  assert.equal(refusal({ Memory: 10 * MiB, MemorySwap: 9 * MiB }), 'Minimum memoryswap limit should be larger than memory limit, see usage');
  assert.equal(refusal({ Memory: 10 * MiB, MemorySwap: -1 }), 'accepted');
  assert.equal(refusal({ MemorySwap: 9 * MiB }), 'You should always set the Memory limit when using Memoryswap limit, see usage');
  assert.equal(refusal({ MemorySwap: 9 * MiB }, {}, true), 'accepted');
  assert.equal(refusal({ MemoryReservation: 1 }), 'Minimum memory reservation allowed is 6MB');
  assert.equal(refusal({ Memory: 10 * MiB, MemoryReservation: 20 * MiB }), 'Minimum memory limit can not be less than memory reservation limit, see usage');
  assert.equal(refusal({ KernelMemory: 1 }), 'Minimum kernel memory limit allowed is 6MB');
  assert.equal(refusal({ KernelMemory: -1 }), 'accepted');
});

test('swappiness: 0..100, -1 and null unset; without memory.swappiness a warning and the value dropped', () => {
  assert.equal(refusal({ MemorySwappiness: 101 }), 'Invalid value: 101, valid memory swappiness range is 0-100');
  assert.equal(refusal({ MemorySwappiness: -2 }), 'Invalid value: -2, valid memory swappiness range is 0-100');
  assert.equal(refusal({ MemorySwappiness: 1152921504606846976n }), 'Invalid value: 1152921504606846976, valid memory swappiness range is 0-100');
  for (const value of [0, 100, -1, null]) assert.equal(refusal({ MemorySwappiness: value }), 'accepted');
  const dropped = checkResources({ MemorySwappiness: 500 }, { ...HOST, memorySwappiness: false }, false);
  assert.deepEqual(dropped.adjusted, { MemorySwappiness: null });
  assert.match(dropped.warnings[0] ?? '', /does not support memory swappiness.*discarded/);
});

test('cpus: NanoCpus against the host, exclusive with period and quota; period and quota ranges', () => {
  const range = 'Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available';
  assert.equal(refusal({ NanoCpus: 1e15 }), range);
  assert.equal(refusal({ NanoCpus: 2e9 + 1 }), range);
  assert.equal(refusal({ NanoCpus: -1 }), range);
  assert.equal(refusal({ NanoCpus: 9223372036854775807n }), range);
  assert.equal(refusal({ NanoCpus: 2e9 }), 'accepted');
  assert.equal(refusal({ NanoCpus: 1 }), 'accepted');
  assert.equal(refusal({ NanoCpus: 4e9 }, { cpus: 4 }), 'accepted');
  assert.equal(refusal({ NanoCpus: 1e9, CpuPeriod: 100000 }), 'Conflicting options: Nano CPUs and CPU Period cannot both be set');
  assert.equal(refusal({ NanoCpus: 1e9, CpuQuota: 100000 }), 'Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  assert.equal(refusal({ NanoCpus: 1e9, CpuQuota: -1 }), 'accepted');
  const period = 'CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)';
  for (const value of [999, 1_000_001, -5]) assert.equal(refusal({ CpuPeriod: value }), period);
  for (const value of [1000, 1_000_000]) assert.equal(refusal({ CpuPeriod: value }), 'accepted');
  assert.equal(refusal({ CpuQuota: 999 }), 'CPU cfs quota can not be less than 1ms (i.e. 1000)');
  assert.equal(refusal({ CpuQuota: -1 }), 'accepted');
  assert.deepEqual(checkResources({ CpuPercent: 50 }, HOST, false).warnings, ['linux does not support CPU percent. Percent discarded.']);
});

test('cpusets: syntax and availability in dockerd\'s words', () => {
  assert.equal(refusal({ CpusetCpus: '0-5' }), 'Requested CPUs are not available - requested 0-5, available: 0-1');
  assert.equal(refusal({ CpusetCpus: 'abc' }), 'Invalid value abc for cpuset cpus: invalid format: abc');
  assert.equal(refusal({ CpusetCpus: '9000' }), 'Invalid value 9000 for cpuset cpus: value of out range, maximum is 8192');
  assert.equal(refusal({ CpusetMems: '1' }), 'Requested memory nodes are not available - requested 1, available: 0');
  assert.equal(refusal({ CpusetMems: '0,x' }), 'Invalid value 0,x for cpuset mems: invalid format: 0,x');
  assert.equal(refusal({ CpusetCpus: '0,1', CpusetMems: '0' }), 'accepted');
});

test('blkio, QoS, oom score adjustment, shm size, ulimits', () => {
  assert.deepEqual(checkResources({ BlkioWeight: 9, BlkioWeightDevice: [{}] }, HOST, false).warnings, [
    'Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.',
    'Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.',
  ]);
  assert.equal(refusal({ BlkioWeight: 9 }, { blkioWeight: true }), 'Range of blkio weight is from 10 to 1000');
  assert.equal(refusal({ BlkioWeight: 1001 }, { blkioWeight: true }), 'Range of blkio weight is from 10 to 1000');
  assert.match(checkResources({ BlkioWeight: 500 }, { ...HOST, blkioWeight: true }, false).warnings[0] ?? '', /berth does not apply/);
  assert.equal(refusal({ IOMaximumIOps: 5 }), 'Invalid QoS settings: linux does not support configuration of maximum IOPs');
  assert.equal(refusal({ IOMaximumBandwidth: 5 }), 'Invalid QoS settings: linux does not support configuration of maximum bandwidth');
  assert.equal(refusal({ IOMaximumIOps: 5 }, {}, true), 'Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps');
  assert.equal(refusal({ OomScoreAdj: 1001 }), 'Invalid value 1001, range for oom score adj is [-1000, 1000]');
  assert.equal(refusal({ OomScoreAdj: -1152921504606846976n }), 'Invalid value -1152921504606846976, range for oom score adj is [-1000, 1000]');
  assert.equal(refusal({ OomScoreAdj: -1000 }), 'accepted');
  assert.equal(refusal({ ShmSize: -1 }), 'SHM size can not be less than 0');
  assert.equal(refusal({ Ulimits: [{ Name: 'core', Soft: 1, Hard: 1 }, { Name: 'nofile', Soft: 2000, Hard: 1000 }] }), 'HostConfig.Ulimits[1]: nofile soft limit 2000 exceeds hard limit 1000');
  assert.equal(refusal({ Ulimits: [{ Name: 'core', Soft: 4611686018427387904n, Hard: 2305843009213693952n }] }), 'HostConfig.Ulimits[0]: core soft limit 4611686018427387904 exceeds hard limit 2305843009213693952');
  assert.equal(refusal({ Ulimits: [{ Name: 'nofile', Soft: -1, Hard: 1000 }] }), 'accepted');
});

test('without a swap limit, a memory limit comes with swap unlimited and a warning', () => {
  const check = checkResources({ Memory: 64 * MiB }, { ...HOST, swapLimit: false }, false);
  assert.deepEqual(check.adjusted, { MemorySwap: -1 });
  assert.deepEqual(check.warnings, ['Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.']);
  assert.deepEqual(checkResources({ Memory: 64 * MiB, MemorySwap: -1 }, { ...HOST, swapLimit: false }, false).warnings, []);
  assert.deepEqual(checkResources({ KernelMemory: 7 * MiB }, HOST, false).warnings, ['Specifying a kernel memory limit is deprecated and will be removed in a future release.']);
});
