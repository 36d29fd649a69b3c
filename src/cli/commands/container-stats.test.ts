import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerStats } from '../../client/container-types.js';
import { binarySize, statsRow } from './container-stats.js';
import { splitContainerPath } from './container-files.js';
import { updateBody } from './container-update.js';

const sample: ContainerStats = {
  read: '2026-12-01T00:00:01Z', name: '/web', id: 'f'.repeat(64),
  cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 110_000_000_000, online_cpus: 2 },
  precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 100_000_000_000 },
  memory_stats: { usage: 40 * 1024 * 1024, limit: 64 * 1024 * 1024, stats: { total_inactive_file: 8 * 1024 * 1024 } },
  pids_stats: { current: 3 },
  blkio_stats: { io_service_bytes_recursive: [{ op: 'Read', value: 4096 }, { op: 'Write', value: 1000 }, { op: 'Total', value: 5096 }] },
  networks: { eth0: { rx_bytes: 10, tx_bytes: 20 }, eth1: { rx_bytes: 1, tx_bytes: 2 } },
};

test('a stats row is computed as the docker CLI does', () => {
  const row = statsRow(sample);
  assert.equal(row.cpuPercent, 20); // 1 s of 10 s host time, times 2 CPUs
  assert.equal(row.memUsage, 32 * 1024 * 1024); // without inactive page cache
  assert.equal(row.memPercent, 50);
  assert.deepEqual([row.netRx, row.netTx, row.blockRead, row.blockWrite, row.pids, row.name], [11, 22, 4096, 1000, 3, 'web']);
});

test('a first sample without a previous one shows 0% CPU', () => {
  assert.equal(statsRow({ ...sample, precpu_stats: { cpu_usage: { total_usage: 0 } } }).cpuPercent, 0);
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
