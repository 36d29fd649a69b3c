/** Memory usage, limit and OOM-kill count of one cgroup, on v1 (memory controller) or v2. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import { cgroupDirs, type CgroupLayout } from './cgroup-layout.js';

export interface CgroupMemoryStats {
  usageBytes: number;
  /** undefined when unlimited. */
  limitBytes: number | undefined;
  /** How many processes the kernel's OOM killer killed in this cgroup. */
  oomKills: number;
}

/** v1 reports "unlimited" as PAGE_COUNTER_MAX rounded to pages: anything this large means no limit. */
const V1_UNLIMITED = 2 ** 62;

async function readText(path: string, cgroupsPath: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    if (errnoCode(cause) === 'ENOENT') {
      throw errors.notFound('cgroup-not-found', `cgroup ${cgroupsPath}: ${path} does not exist`, { cause });
    }
    throw errors.internal('cgroup-read-failed', `cgroup ${cgroupsPath}: cannot read ${path}`, { cause });
  }
}

/** The value of `key` in a flat-keyed file (`oom_kill 2\n...`), 0 when absent. */
export function flatKeyedValue(text: string, key: string): number {
  for (const line of text.split('\n')) {
    const [name, value] = line.trim().split(/\s+/);
    if (name === key && value !== undefined) return Number(value);
  }
  return 0;
}

/**
 * Reads the memory figures of the cgroup at an absolute cgroupsPath. Throws not-found
 * (`cgroup-not-found`) when the cgroup does not exist (yet, or any more), failed-precondition
 * (`memory-controller-missing`) when no memory controller is mounted. Read-only; safe concurrently.
 */
export async function readCgroupMemory(layout: CgroupLayout, cgroupsPath: string): Promise<CgroupMemoryStats> {
  const dirs = cgroupDirs(layout, cgroupsPath);
  const v1 = dirs.v1.get('memory');
  if (v1 !== undefined) {
    const [usage, limit, oomControl] = await Promise.all([
      readText(join(v1, 'memory.usage_in_bytes'), cgroupsPath),
      readText(join(v1, 'memory.limit_in_bytes'), cgroupsPath),
      readText(join(v1, 'memory.oom_control'), cgroupsPath),
    ]);
    const limitBytes = Number(limit.trim());
    return {
      usageBytes: Number(usage.trim()),
      limitBytes: limitBytes >= V1_UNLIMITED ? undefined : limitBytes,
      oomKills: flatKeyedValue(oomControl, 'oom_kill'),
    };
  }
  if (layout.mode === 'v2-unified' && dirs.unified !== undefined) {
    const [current, max, events] = await Promise.all([
      readText(join(dirs.unified, 'memory.current'), cgroupsPath),
      readText(join(dirs.unified, 'memory.max'), cgroupsPath),
      readText(join(dirs.unified, 'memory.events'), cgroupsPath),
    ]);
    return {
      usageBytes: Number(current.trim()),
      limitBytes: max.trim() === 'max' ? undefined : Number(max.trim()),
      oomKills: flatKeyedValue(events, 'oom_kill'),
    };
  }
  throw errors.failedPrecondition('memory-controller-missing', 'no cgroup memory controller is mounted on this host');
}
