/**
 * Real-time CPU time of cgroup v1 (`cpu.rt_runtime_us`): a cgroup can give its children only the
 * budget it has itself, and a new cgroup has none. So a container asking for real-time runtime
 * starts only under a parent that was given a budget (dockerd's `--cpu-rt-runtime` writes it; for
 * berth the operator does, once: it stays, since the parent is never removed).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';
import type { CgroupLayout } from './cgroup-layout.js';

/** The parent's `cpu.rt_runtime_us` (µs per period; -1 unlimited), 0 when it does not exist yet; undefined without a v1 cpu controller. */
export async function realtimeBudget(layout: CgroupLayout, parent: string): Promise<{ file: string; runtime: number } | undefined> {
  const mount = layout.v1.get('cpu');
  if (mount === undefined) return undefined;
  const file = join(mount, parent, 'cpu.rt_runtime_us');
  try {
    return { file, runtime: Number((await readFile(file, 'utf8')).trim()) };
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { file, runtime: 0 };
    throw err;
  }
}

/**
 * Throws failed-precondition (`realtime-budget`) when the parent of `cgroupsPath` has less
 * real-time runtime than `runtimeUs` (so the runtime could only fail with "invalid argument").
 * Sharing the budget among siblings is the kernel's check.
 */
export async function checkRealtimeBudget(layout: CgroupLayout, cgroupsPath: string, runtimeUs: number): Promise<void> {
  if (runtimeUs <= 0) return;
  const parent = dirname(cgroupsPath);
  const budget = await realtimeBudget(layout, parent);
  if (budget === undefined || budget.runtime < 0 || budget.runtime >= runtimeUs) return;
  throw errors.failedPrecondition('realtime-budget',
    `HostConfig.CpuRealtimeRuntime: ${runtimeUs} µs of real-time runtime asked, but the cgroup parent ${parent} has ${budget.runtime} µs `
    + `(${budget.file}); give it a budget first, e.g. echo ${runtimeUs} > ${budget.file}`);
}
