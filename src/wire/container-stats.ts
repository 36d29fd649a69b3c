/**
 * One document of `GET /containers/{id}/stats` in Docker's stats JSON: cpu_stats and
 * precpu_stats (the previous sample, for a CPU percentage), memory_stats, pids_stats,
 * blkio_stats, networks. A container that is not running has empty parts and zero times.
 */

export interface CpuStats {
  cpu_usage: { total_usage: number; percpu_usage?: number[]; usage_in_kernelmode: number; usage_in_usermode: number };
  /** Absent when the container had no cgroup to sample. */
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

/** Bytes read and written per device (`op` Read, Write, …). */
export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface NetworkStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

export interface ContainerStats {
  /** RFC 3339; Go's zero time when there is no sample. */
  read: string;
  preread: string;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: {
    io_service_bytes_recursive: BlkioEntry[] | null;
    io_serviced_recursive: null;
    io_queue_recursive: null;
    io_service_time_recursive: null;
    io_wait_time_recursive: null;
    io_merged_recursive: null;
    io_time_recursive: null;
    sectors_recursive: null;
  };
  num_procs: number;
  storage_stats: Record<string, never>;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  /** Empty when the container is not running. */
  memory_stats: { usage?: number; max_usage?: number; stats?: Record<string, number>; limit?: number };
  /** `/name`. */
  name: string;
  id: string;
  /** By interface; absent when the container has none. */
  networks?: Record<string, NetworkStats>;
}
