import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStats } from '../../wire/container-stats.js';
import { binarySize, statsRow } from './container-stats.js';
import { splitContainerPath } from './container-files.js';
import { updateBody } from './container-update.js';

const cpu = (total: number, system?: number, cpus?: number): ContainerStats['cpu_stats'] => ({
  cpu_usage: { total_usage: total, usage_in_kernelmode: 0, usage_in_usermode: 0 },
  ...(system === undefined ? {} : { system_cpu_usage: system }), ...(cpus === undefined ? {} : { online_cpus: cpus }),
  throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
});
const io = (op: string, value: number) => ({ major: 8, minor: 0, op, value });
const net = (rx: number, tx: number) => ({ rx_bytes: rx, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: tx, tx_packets: 0, tx_errors: 0, tx_dropped: 0 });

const sample: ContainerStats = {
  read: '2026-12-01T00:00:01Z', preread: '2026-12-01T00:00:00Z', name: '/web', id: 'f'.repeat(64), num_procs: 0, storage_stats: {},
  cpu_stats: cpu(3_000_000_000, 110_000_000_000, 2),
  precpu_stats: cpu(2_000_000_000, 100_000_000_000),
  memory_stats: { usage: 40 * 1024 * 1024, limit: 64 * 1024 * 1024, stats: { total_inactive_file: 8 * 1024 * 1024 } },
  pids_stats: { current: 3 },
  blkio_stats: {
    io_service_bytes_recursive: [io('Read', 4096), io('Write', 1000), io('Total', 5096)],
    io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null,
    io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
  },
  networks: { eth0: net(10, 20), eth1: net(1, 2) },
};

test('a stats row is computed as the docker CLI does', () => {
  const row = statsRow(sample);
  assert.equal(row.cpuPercent, 20); // 1 s of 10 s host time, times 2 CPUs
  assert.equal(row.memUsage, 32 * 1024 * 1024); // without inactive page cache
  assert.equal(row.memPercent, 50);
  assert.deepEqual([row.netRx, row.netTx, row.blockRead, row.blockWrite, row.pids, row.name], [11, 22, 4096, 1000, 3, 'web']);
});

test('a first sample without a previous one shows 0% CPU', () => {
  assert.equal(statsRow({ ...sample, precpu_stats: cpu(0) }).cpuPercent, 0);
});

test('binary sizes', () => {
  assert.deepEqual([binarySize(512), binarySize(1536), binarySize(64 * 1024 * 1024)], ['512B', '1.5KiB', '64MiB']);
});

test('cp arguments: container paths and host paths', () => {
  assert.deepEqual(splitContainerPath('web:/etc/passwd'), { container: 'web', path: '/etc/passwd' });
  assert.deepEqual(splitContainerPath('web:'), { container: 'web', path: '/' });
  assert.equal(splitContainerPath('/tmp/x:y'), undefined);
  assert.equal(splitContainerPath('./a:b'), undefined);
  assert.equal(splitContainerPath('-'), undefined);
  assert.equal(splitContainerPath('plain'), undefined);
});

test('update flags become Docker\'s body; bad values name the flag', () => {
  assert.deepEqual(JSON.parse(JSON.stringify(updateBody({ memory: '64m', cpus: '1.5', pidsLimit: '50' }))), { Memory: 64 * 1024 * 1024, NanoCpus: 1_500_000_000, PidsLimit: 50 });
  assert.throws(() => updateBody({ cpuShares: 'many' }), /--cpu-shares/);
  assert.throws(() => updateBody({}), { reason: 'nothing-to-update' });
  assert.deepEqual(updateBody({ restart: 'on-failure:3' }).RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
});
