/**
 * The per-container metric families, with cAdvisor's names, types and labels (`id`, `name`,
 * `image`, `container_label_*`, plus `cpu`, `interface` or `device` where cAdvisor has them), so
 * dashboards and alert rules written for cAdvisor work unchanged.
 */
import type { Registry } from 'prom-client';
import type { InterfaceCounters } from '../runtime/net-dev.js';
import type { ContainerSample } from './container-sampler.js';
import { snapshotMetric, type SnapshotMetric } from './snapshot-metric.js';

type Labels = Record<string, string>;
type Value = [extra: Labels | undefined, value: number];

interface Family {
  kind: 'counter' | 'gauge';
  name: string;
  help: string;
  values: (sample: ContainerSample, nowS: number) => Value[];
}

const one = (value: number): Value[] => [[undefined, value]];
const seconds = (ns: number): number => ns / 1e9;

const network = (name: string, help: string, field: keyof InterfaceCounters): Family => ({
  kind: 'counter', name, help,
  values: (s) => [...s.networks].map(([iface, counters]): Value => [{ interface: iface }, counters[field]]),
});

const io = (name: string, help: string, op: 'read' | 'write'): Family => ({
  kind: 'counter', name, help,
  values: (s) => [...s.io].map(([device, totals]): Value => [{ device }, totals[op]]),
});

export const CONTAINER_FAMILIES: readonly Family[] = [
  { kind: 'gauge', name: 'container_last_seen', help: 'Last time a container was seen by the exporter', values: (_s, now) => one(Math.floor(now)) },
  { kind: 'gauge', name: 'container_start_time_seconds', help: 'Start time of the container since unix epoch in seconds.', values: (s) => one(s.startedAtS) },
  { kind: 'counter', name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed in seconds.', values: (s) => [[{ cpu: 'total' }, seconds(s.cgroup.cpu.totalNs)]] },
  { kind: 'counter', name: 'container_cpu_user_seconds_total', help: 'Cumulative user cpu time consumed in seconds.', values: (s) => one(seconds(s.cgroup.cpu.userNs)) },
  { kind: 'counter', name: 'container_cpu_system_seconds_total', help: 'Cumulative system cpu time consumed in seconds.', values: (s) => one(seconds(s.cgroup.cpu.systemNs)) },
  { kind: 'counter', name: 'container_cpu_cfs_periods_total', help: 'Number of elapsed enforcement period intervals.', values: (s) => one(s.cgroup.cpu.periods) },
  { kind: 'counter', name: 'container_cpu_cfs_throttled_periods_total', help: 'Number of throttled period intervals.', values: (s) => one(s.cgroup.cpu.throttledPeriods) },
  { kind: 'counter', name: 'container_cpu_cfs_throttled_seconds_total', help: 'Total time duration the container has been throttled.', values: (s) => one(seconds(s.cgroup.cpu.throttledNs)) },
  { kind: 'gauge', name: 'container_spec_cpu_quota', help: 'CPU quota of the container.', values: (s) => (s.cgroup.cpuQuotaUs === undefined ? [] : one(s.cgroup.cpuQuotaUs)) },
  { kind: 'gauge', name: 'container_spec_cpu_period', help: 'CPU period of the container.', values: (s) => (s.cgroup.cpuPeriodUs === undefined ? [] : one(s.cgroup.cpuPeriodUs)) },
  { kind: 'gauge', name: 'container_spec_cpu_shares', help: 'CPU share of the container.', values: (s) => (s.cgroup.cpuShares === undefined ? [] : one(s.cgroup.cpuShares)) },
  { kind: 'gauge', name: 'container_memory_usage_bytes', help: 'Current memory usage in bytes, including all memory regardless of when it was accessed', values: (s) => one(s.cgroup.memory.usageBytes) },
  { kind: 'gauge', name: 'container_memory_working_set_bytes', help: 'Current working set in bytes.', values: (s) => one(s.cgroup.memory.workingSetBytes) },
  { kind: 'gauge', name: 'container_memory_rss', help: 'Size of RSS in bytes.', values: (s) => one(s.cgroup.memory.rssBytes) },
  { kind: 'gauge', name: 'container_memory_cache', help: 'Number of bytes of page cache memory.', values: (s) => one(s.cgroup.memory.cacheBytes) },
  { kind: 'counter', name: 'container_memory_failcnt', help: 'Number of memory usage hits limits', values: (s) => one(s.cgroup.memory.failcnt) },
  { kind: 'gauge', name: 'container_spec_memory_limit_bytes', help: 'Memory limit for the container (0: none).', values: (s) => one(s.cgroup.memory.limitBytes ?? 0) },
  { kind: 'counter', name: 'container_oom_events_total', help: 'Count of out of memory events observed for the container', values: (s) => one(s.cgroup.memory.oomKills) },
  { kind: 'gauge', name: 'container_processes', help: 'Number of processes running inside the container.', values: (s) => one(s.cgroup.processes) },
  io('container_fs_reads_bytes_total', 'Cumulative count of bytes read', 'read'),
  io('container_fs_writes_bytes_total', 'Cumulative count of bytes written', 'write'),
  { kind: 'gauge', name: 'container_fs_usage_bytes', help: 'Number of bytes that are consumed by the container on this filesystem.', values: (s) => (s.fs === undefined ? [] : [[{ device: s.fs.device }, s.fs.usageBytes]]) },
  network('container_network_receive_bytes_total', 'Cumulative count of bytes received', 'rxBytes'),
  network('container_network_receive_packets_total', 'Cumulative count of packets received', 'rxPackets'),
  network('container_network_receive_errors_total', 'Cumulative count of errors encountered while receiving', 'rxErrors'),
  network('container_network_receive_packets_dropped_total', 'Cumulative count of packets dropped while receiving', 'rxDropped'),
  network('container_network_transmit_bytes_total', 'Cumulative count of bytes transmitted', 'txBytes'),
  network('container_network_transmit_packets_total', 'Cumulative count of packets transmitted', 'txPackets'),
  network('container_network_transmit_errors_total', 'Cumulative count of errors encountered while transmitting', 'txErrors'),
  network('container_network_transmit_packets_dropped_total', 'Cumulative count of packets dropped while transmitting', 'txDropped'),
];

/**
 * A series whose container labels go in prom-client's `sharedLabels`: it renders them once per
 * labels object (a WeakMap cache) instead of once per series, which with ~30 families per
 * container is most of a scrape's formatting time. prom-client writes them after the series' own
 * labels. container-families.test.ts checks the rendered text, so a prom-client without this
 * field fails there rather than silently dropping labels.
 */
interface SharedLabelSeries {
  labels: Labels;
  sharedLabels: Labels;
  value: number;
}

const NO_LABELS: Labels = {};

/** The families registered on one registry; `load` replaces every series with those of a scrape's samples. */
export class ContainerFamilies {
  readonly #metrics: [Family, SnapshotMetric][];

  constructor(registry: Registry) {
    this.#metrics = CONTAINER_FAMILIES.map((family) => [family, snapshotMetric(family.kind, family.name, family.help, registry)]);
  }

  load(samples: readonly ContainerSample[], nowS: number): void {
    for (const [family, metric] of this.#metrics) {
      const series: SharedLabelSeries[] = [];
      for (const sample of samples) {
        for (const [extra, value] of family.values(sample, nowS)) series.push({ labels: extra ?? NO_LABELS, sharedLabels: sample.labels, value });
      }
      metric.load(series);
    }
  }
}
