/**
 * berthd's own process, with the names Prometheus client libraries use (`process_cpu_seconds_total`,
 * `process_resident_memory_bytes`, `process_start_time_seconds`). prom-client's default metrics
 * are not used: their event-loop monitor wakes the process every 10 ms even when nobody scrapes.
 */
import type { Registry } from 'prom-client';
import { snapshotMetric, type SnapshotMetric } from './snapshot-metric.js';

export class ProcessMetrics {
  readonly #cpu: SnapshotMetric;
  readonly #cpuUser: SnapshotMetric;
  readonly #cpuSystem: SnapshotMetric;
  readonly #rss: SnapshotMetric;
  readonly #start: SnapshotMetric;
  readonly #startS = Math.floor((Date.now() - process.uptime() * 1000) / 1000);

  constructor(registry: Registry) {
    this.#cpu = snapshotMetric('counter', 'process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', registry);
    this.#cpuUser = snapshotMetric('counter', 'process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', registry);
    this.#cpuSystem = snapshotMetric('counter', 'process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', registry);
    this.#rss = snapshotMetric('gauge', 'process_resident_memory_bytes', 'Resident memory size in bytes.', registry);
    this.#start = snapshotMetric('gauge', 'process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', registry);
  }

  update(): void {
    const { user, system } = process.cpuUsage();
    this.#cpuUser.load([{ labels: {}, value: user / 1e6 }]);
    this.#cpuSystem.load([{ labels: {}, value: system / 1e6 }]);
    this.#cpu.load([{ labels: {}, value: (user + system) / 1e6 }]);
    this.#rss.load([{ labels: {}, value: process.memoryUsage.rss() }]);
    this.#start.load([{ labels: {}, value: this.#startS }]);
  }
}
