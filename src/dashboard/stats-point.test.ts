import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statsPoint, type StatsSample } from './stats-point.js';

function sample(read: string, cpu: number, preCpu: number, system: number, preSystem: number, rx: number, tx: number): StatsSample {
  return {
    read,
    cpu_stats: { cpu_usage: { total_usage: cpu }, system_cpu_usage: system, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: preCpu }, system_cpu_usage: preSystem },
    memory_stats: { usage: 10_000, stats: { total_inactive_file: 4_000 }, limit: 1_000_000 },
    networks: { eth0: { rx_bytes: rx, tx_bytes: tx }, eth1: { rx_bytes: rx, tx_bytes: 0 } },
  };
}

test('CPU percent as docker stats computes it; memory without the inactive page cache', () => {
  const point = statsPoint(sample('2026-01-01T00:00:01Z', 1_500, 1_000, 20_000, 10_000, 0, 0));
  assert.equal(point?.cpuPercent, 10); // 500 / 10000 * 2 CPUs * 100
  assert.equal(point.memoryBytes, 6_000);
  assert.equal(point.memoryLimitBytes, 1_000_000);
  assert.equal(point.time, Date.parse('2026-01-01T00:00:01Z') / 1000);
  assert.equal(point.rxBytesPerSecond, null, 'no rate without a previous sample');
});

test('network rates summed over the interfaces, per second since the previous sample', () => {
  const previous = sample('2026-01-01T00:00:01Z', 0, 0, 0, 0, 1_000, 500);
  const point = statsPoint(sample('2026-01-01T00:00:03Z', 0, 0, 0, 0, 2_000, 900), previous);
  assert.equal(point?.rxBytesPerSecond, 1_000); // (2 × 1000 more) / 2 s
  assert.equal(point.txBytesPerSecond, 200);
  assert.equal(point.cpuPercent, 0, 'no CPU delta: 0, not NaN');
});

test('a document without a sample (a stopped container) gives no point', () => {
  assert.equal(statsPoint(sample('0001-01-01T00:00:00Z', 0, 0, 0, 0, 0, 0)), undefined);
});

test('counters that went back (a restarted container) give a rate of 0, not a negative one', () => {
  const point = statsPoint(sample('2026-01-01T00:00:02Z', 0, 0, 0, 0, 10, 10), sample('2026-01-01T00:00:01Z', 0, 0, 0, 0, 5_000, 5_000));
  assert.equal(point?.rxBytesPerSecond, 0);
});
