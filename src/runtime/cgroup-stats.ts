/**
 * One sample of a cgroup's resource counters — CPU, memory, pids, block IO — on v1 (one hierarchy
 * per controller) or v2 (one unified directory), in the units the kernel reports (CPU in
 * nanoseconds, memory and IO in bytes). Read-only and safe concurrently.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import { cgroupDirs, type CgroupLayout } from './cgroup-layout.js';

export interface CgroupCpuStats {
  totalNs: number;
  /** Per-CPU usage (v1 only; empty on v2). */
  perCpuNs: number[];
  userNs: number;
  systemNs: number;
  periods: number;
  throttledPeriods: number;
  throttledNs: number;
}

export interface CgroupMemoryCounters {
  usageBytes: number;
  maxUsageBytes: number;
  /** undefined when unlimited. */
  limitBytes: number | undefined;
  /** Page cache charged to the cgroup. */
  cacheBytes: number;
  /** The whole memory.stat, key → value. */
  stat: Record<string, number>;
}

export interface CgroupIoEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface CgroupStats {
  cpu: CgroupCpuStats;
  memory: CgroupMemoryCounters;
  pids: { current: number; limit: number | undefined };
  /** Bytes read and written per device (op Read / Write / Total …). */
  ioBytes: CgroupIoEntry[];
}

/** v1 reports "unlimited" as PAGE_COUNTER_MAX rounded to pages: anything this large means no limit. */
const UNLIMITED = 2 ** 62;

/** The file's text, or '' when the file does not exist (a controller not mounted, an older kernel). */
async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT' || errnoCode(err) === 'ENODEV') return '';
    throw err;
  }
}

/** `key value` lines → a record. */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key !== undefined && key !== '' && value !== undefined && /^-?\d+$/.test(value)) out[key] = Number(value);
  }
  return out;
}

function limitOf(text: string): number | undefined {
  const value = text.trim();
  if (value === '' || value === 'max') return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n < UNLIMITED ? n : undefined;
}

/** v1 `blkio.throttle.io_service_bytes_recursive`: `8:0 Read 4096` lines (and a `Total` line). */
export function parseBlkioV1(text: string): CgroupIoEntry[] {
  const entries: CgroupIoEntry[] = [];
  for (const line of text.split('\n')) {
    const match = /^(\d+):(\d+) (\w+) (\d+)$/.exec(line.trim());
    if (match) entries.push({ major: Number(match[1]), minor: Number(match[2]), op: match[3] ?? '', value: Number(match[4]) });
  }
  return entries;
}

/** v2 `io.stat`: `8:0 rbytes=4096 wbytes=0 rios=1 …` lines, as Read / Write entries. */
export function parseIoStatV2(text: string): CgroupIoEntry[] {
  const entries: CgroupIoEntry[] = [];
  for (const line of text.split('\n')) {
    const [device, ...fields] = line.trim().split(/\s+/);
    const match = /^(\d+):(\d+)$/.exec(device ?? '');
    if (!match) continue;
    const values = Object.fromEntries(fields.map((f) => f.split('=')).map(([k, v]) => [k ?? '', Number(v)]));
    for (const [key, op] of [['rbytes', 'Read'], ['wbytes', 'Write']] as const) {
      entries.push({ major: Number(match[1]), minor: Number(match[2]), op, value: values[key] ?? 0 });
    }
  }
  return entries;
}

/**
 * Samples the cgroup at an absolute cgroupsPath. Throws not-found (`cgroup-not-found`) when the
 * cgroup does not exist (the container is not running).
 */
export async function readCgroupStats(layout: CgroupLayout, cgroupsPath: string): Promise<CgroupStats> {
  const dirs = cgroupDirs(layout, cgroupsPath);
  const memoryDir = dirs.v1.get('memory');
  if (layout.mode !== 'v2-unified') {
    if (memoryDir === undefined || (await readOptional(join(memoryDir, 'memory.usage_in_bytes'))) === '') {
      throw errors.notFound('cgroup-not-found', `cgroup ${cgroupsPath} does not exist`);
    }
    return readV1(dirs.v1);
  }
  if (dirs.unified === undefined || (await readOptional(join(dirs.unified, 'cgroup.procs'))) === '') {
    throw errors.notFound('cgroup-not-found', `cgroup ${cgroupsPath} does not exist`);
  }
  return readV2(dirs.unified);
}

const USER_HZ_NS = 1e9 / 100;

async function readV1(dirs: ReadonlyMap<string, string>): Promise<CgroupStats> {
  const file = (controller: string, name: string): Promise<string> => {
    const dir = dirs.get(controller);
    return dir === undefined ? Promise.resolve('') : readOptional(join(dir, name));
  };
  const [usage, perCpu, cpuacctStat, cpuStat, memUsage, memMax, memLimit, memStat, pidsCurrent, pidsMax, blkio] = await Promise.all([
    file('cpuacct', 'cpuacct.usage'), file('cpuacct', 'cpuacct.usage_percpu'), file('cpuacct', 'cpuacct.stat'), file('cpu', 'cpu.stat'),
    file('memory', 'memory.usage_in_bytes'), file('memory', 'memory.max_usage_in_bytes'), file('memory', 'memory.limit_in_bytes'), file('memory', 'memory.stat'),
    file('pids', 'pids.current'), file('pids', 'pids.max'), file('blkio', 'blkio.throttle.io_service_bytes_recursive'),
  ]);
  const ticks = parseFlatKeyed(cpuacctStat);
  const throttling = parseFlatKeyed(cpuStat);
  const stat = parseFlatKeyed(memStat);
  return {
    cpu: {
      totalNs: Number(usage.trim() || 0),
      perCpuNs: perCpu.trim().split(/\s+/).filter(Boolean).map(Number),
      userNs: (ticks.user ?? 0) * USER_HZ_NS,
      systemNs: (ticks.system ?? 0) * USER_HZ_NS,
      periods: throttling.nr_periods ?? 0,
      throttledPeriods: throttling.nr_throttled ?? 0,
      throttledNs: throttling.throttled_time ?? 0,
    },
    memory: {
      usageBytes: Number(memUsage.trim() || 0),
      maxUsageBytes: Number(memMax.trim() || 0),
      limitBytes: limitOf(memLimit),
      cacheBytes: stat.total_cache ?? stat.cache ?? 0,
      stat,
    },
    pids: { current: Number(pidsCurrent.trim() || 0), limit: limitOf(pidsMax) },
    ioBytes: parseBlkioV1(blkio),
  };
}

async function readV2(dir: string): Promise<CgroupStats> {
  const file = (name: string): Promise<string> => readOptional(join(dir, name));
  const [cpuStat, memCurrent, memPeak, memMax, memStat, pidsCurrent, pidsMax, ioStat] = await Promise.all([
    file('cpu.stat'), file('memory.current'), file('memory.peak'), file('memory.max'), file('memory.stat'),
    file('pids.current'), file('pids.max'), file('io.stat'),
  ]);
  const cpu = parseFlatKeyed(cpuStat);
  const stat = parseFlatKeyed(memStat);
  return {
    cpu: {
      totalNs: (cpu.usage_usec ?? 0) * 1000,
      perCpuNs: [],
      userNs: (cpu.user_usec ?? 0) * 1000,
      systemNs: (cpu.system_usec ?? 0) * 1000,
      periods: cpu.nr_periods ?? 0,
      throttledPeriods: cpu.nr_throttled ?? 0,
      throttledNs: (cpu.throttled_usec ?? 0) * 1000,
    },
    memory: {
      usageBytes: Number(memCurrent.trim() || 0),
      maxUsageBytes: Number(memPeak.trim() || 0),
      limitBytes: limitOf(memMax),
      cacheBytes: stat.file ?? 0,
      stat,
    },
    pids: { current: Number(pidsCurrent.trim() || 0), limit: limitOf(pidsMax) },
    ioBytes: parseIoStatV2(ioStat),
  };
}

/** The host's total CPU time in nanoseconds since boot (the `cpu` line of /proc/stat), and its CPU count. */
export async function readHostCpu(procStat = '/proc/stat'): Promise<{ totalNs: number; onlineCpus: number }> {
  const text = await readFile(procStat, 'utf8');
  let totalNs = 0;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) totalNs = line.split(/\s+/).slice(1, 8).reduce((sum, v) => sum + Number(v || 0), 0) * USER_HZ_NS;
    else if (/^cpu\d+ /.test(line)) onlineCpus++;
  }
  return { totalNs, onlineCpus };
}
