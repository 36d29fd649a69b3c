/**
 * One point of a container's live charts, from two consecutive documents of berthd's stats stream
 * (Docker's stats JSON): CPU percent as `docker stats` computes it (the container's CPU time over
 * the host's, times the online CPUs), memory in use without the inactive page cache (as `docker
 * stats` shows it), and network receive/transmit rates summed over the interfaces.
 */

interface CpuSample {
  cpu_usage: { total_usage: number; percpu_usage?: number[] };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface StatsSample {
  /** RFC 3339. */
  read: string;
  cpu_stats: CpuSample;
  precpu_stats: CpuSample;
  memory_stats: { usage?: number; stats?: Record<string, number>; limit?: number };
  networks?: Record<string, { rx_bytes: number; tx_bytes: number }>;
}

export interface StatsPoint {
  /** Unix seconds (with a fraction). */
  time: number;
  cpuPercent: number;
  memoryBytes: number;
  /** 0 when berthd does not say. */
  memoryLimitBytes: number;
  /** Bytes per second since the previous sample; null for the first one. */
  rxBytesPerSecond: number | null;
  txBytesPerSecond: number | null;
}

function cpuPercent(sample: StatsSample): number {
  const cpuDelta = sample.cpu_stats.cpu_usage.total_usage - sample.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (sample.cpu_stats.system_cpu_usage ?? 0) - (sample.precpu_stats.system_cpu_usage ?? 0);
  const cpus = sample.cpu_stats.online_cpus ?? sample.cpu_stats.cpu_usage.percpu_usage?.length ?? 1;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * cpus * 100;
}

function memoryInUse(sample: StatsSample): number {
  const usage = sample.memory_stats.usage ?? 0;
  const stats = sample.memory_stats.stats ?? {};
  const inactive = stats.inactive_file ?? stats.total_inactive_file ?? 0;
  return Math.max(0, inactive < usage ? usage - inactive : usage);
}

function networkTotals(sample: StatsSample): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const counters of Object.values(sample.networks ?? {})) {
    rx += counters.rx_bytes;
    tx += counters.tx_bytes;
  }
  return { rx, tx };
}

/**
 * The point of `sample`, with network rates against `previous` (the stream's document before it).
 * Undefined for a document without a sample (a container that is not running: zero read time).
 */
export function statsPoint(sample: StatsSample, previous?: StatsSample): StatsPoint | undefined {
  const time = Date.parse(sample.read) / 1000;
  if (!Number.isFinite(time) || time <= 0) return undefined;
  let rx: number | null = null;
  let tx: number | null = null;
  const before = previous === undefined ? undefined : Date.parse(previous.read) / 1000;
  if (previous !== undefined && before !== undefined && Number.isFinite(before) && before > 0 && time > before) {
    const now = networkTotals(sample);
    const then = networkTotals(previous);
    rx = Math.max(0, now.rx - then.rx) / (time - before);
    tx = Math.max(0, now.tx - then.tx) / (time - before);
  }
  return {
    time, cpuPercent: cpuPercent(sample), memoryBytes: memoryInUse(sample), memoryLimitBytes: sample.memory_stats.limit ?? 0,
    rxBytesPerSecond: rx, txBytesPerSecond: tx,
  };
}
