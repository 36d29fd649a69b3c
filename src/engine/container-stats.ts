/**
 * Resource samples of a container: its cgroup's counters, the host's CPU time (to turn CPU time
 * into a percentage between two samples) and its network namespace's interface counters.
 */
import { totalmem } from 'node:os';
import { isBerthError } from '../base/errors.js';
import { readCgroupStats, readHostCpu, type CgroupStats } from '../runtime/cgroup-stats.js';
import { readNetDev, type InterfaceCounters } from '../runtime/net-dev.js';
import { isActive, type ContainerRecord } from './container-record.js';
import { cgroupsPathOf, type TaskContext } from './container-task.js';

/** What a sample needs of the engine: the host's cgroup layout and where containers' cgroups are. */
export interface StatsContext {
  task: Pick<TaskContext, 'host' | 'cgroupParent'>;
}

export interface ContainerSample {
  /** When the sample was taken. */
  read: Date;
  /** undefined when the container is not running (Docker then reports zeros). */
  cgroup: CgroupStats | undefined;
  hostCpuNs: number;
  onlineCpus: number;
  /** The host's memory, reported as the limit of a container without one (as Docker does). */
  hostMemoryBytes: number;
  networks: Map<string, InterfaceCounters>;
}

/** Samples a container. Safe at any time and concurrently; never changes anything. */
export async function sampleContainer(ctx: StatsContext, record: ContainerRecord, now: Date): Promise<ContainerSample> {
  const host = await readHostCpu();
  const sample: ContainerSample = {
    read: now, cgroup: undefined, hostCpuNs: host.totalNs, onlineCpus: host.onlineCpus, hostMemoryBytes: totalmem(), networks: new Map(),
  };
  if (!isActive(record.state)) return sample;
  try {
    sample.cgroup = await readCgroupStats(ctx.task.host.cgroups, cgroupsPathOf(ctx.task, record.id));
  } catch (err) {
    if (!isBerthError(err, 'not-found')) throw err; // it exited meanwhile: zeros, as for a stopped one
  }
  if (record.state.pid > 0 && record.config.options.networkMode !== 'host') sample.networks = await readNetDev(record.state.pid);
  return sample;
}
