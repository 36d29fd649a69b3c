/**
 * One sample as Docker's stats JSON (`GET /containers/{id}/stats`): cpu_stats and precpu_stats
 * (the previous sample, for a CPU percentage), memory_stats, pids_stats, blkio_stats, networks.
 * Pure: the samples in, the JSON value out.
 */
import type { ContainerRecord } from '../engine/container-record.js';
import type { ContainerSample } from '../engine/container-stats.js';
import { ZERO_TIME } from '../engine/container-record.js';
import type { ContainerStats, CpuStats } from '../wire/container-stats.js';

function cpuStats(sample: ContainerSample | undefined): CpuStats {
  const cpu = sample?.cgroup?.cpu;
  return {
    cpu_usage: {
      total_usage: cpu?.totalNs ?? 0,
      ...(cpu !== undefined && cpu.perCpuNs.length > 0 ? { percpu_usage: cpu.perCpuNs } : {}),
      usage_in_kernelmode: cpu?.systemNs ?? 0,
      usage_in_usermode: cpu?.userNs ?? 0,
    },
    ...(sample?.cgroup === undefined ? {} : { system_cpu_usage: sample.hostCpuNs, online_cpus: sample.onlineCpus }),
    throttling_data: { periods: cpu?.periods ?? 0, throttled_periods: cpu?.throttledPeriods ?? 0, throttled_time: cpu?.throttledNs ?? 0 },
  };
}

export function statsView(record: ContainerRecord, sample: ContainerSample, previous: ContainerSample | undefined): ContainerStats {
  const cgroup = sample.cgroup;
  const networks = Object.fromEntries([...sample.networks].map(([name, c]) => [name, {
    rx_bytes: c.rxBytes, rx_packets: c.rxPackets, rx_errors: c.rxErrors, rx_dropped: c.rxDropped,
    tx_bytes: c.txBytes, tx_packets: c.txPackets, tx_errors: c.txErrors, tx_dropped: c.txDropped,
  }]));
  return {
    read: cgroup === undefined ? ZERO_TIME : sample.read.toISOString(),
    preread: previous?.cgroup === undefined ? ZERO_TIME : previous.read.toISOString(),
    pids_stats: cgroup === undefined ? {} : { current: cgroup.pids.current, ...(cgroup.pids.limit === undefined ? {} : { limit: cgroup.pids.limit }) },
    blkio_stats: {
      io_service_bytes_recursive: cgroup === undefined ? null : cgroup.ioBytes.map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: e.value })),
      io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null,
      io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null,
    },
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuStats(sample),
    precpu_stats: cpuStats(previous),
    memory_stats: cgroup === undefined ? {} : {
      usage: cgroup.memory.usageBytes,
      max_usage: cgroup.memory.maxUsageBytes,
      stats: cgroup.memory.stat,
      limit: cgroup.memory.limitBytes ?? sample.hostMemoryBytes,
    },
    name: `/${record.name}`,
    id: record.id,
    ...(sample.networks.size > 0 ? { networks } : {}),
  };
}
