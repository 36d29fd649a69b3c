/**
 * The resource fields of container create and update checked as dockerd checks them, in its
 * order and with its messages: memory and swap, swappiness, reservation, kernel memory, CPUs
 * (NanoCpus against the host's CPUs, period and quota), cpusets against the host's, blkio weight,
 * IO maximums, OOM score adjustment, shm size. What dockerd only warns about and discards (a
 * feature the host or berth lacks) becomes a warning and an adjusted field. Values are exact
 * (a `bigint` beyond ±(2^53−1)), so the arithmetic is int64's. Pure.
 */
import { errors } from '../base/errors.js';
import { cpusetProblem } from './cpuset-list.js';

type Integer = number | bigint | null | undefined;

/** The fields checked, under Docker's names (HostConfig for create, UpdateConfig for update). */
export interface ResourceFields {
  Memory?: Integer;
  MemorySwap?: Integer;
  MemoryReservation?: Integer;
  MemorySwappiness?: Integer;
  KernelMemory?: Integer;
  NanoCpus?: Integer;
  CpuShares?: Integer;
  CpuPeriod?: Integer;
  CpuQuota?: Integer;
  CpuPercent?: Integer;
  CpusetCpus?: string | null | undefined;
  CpusetMems?: string | null | undefined;
  BlkioWeight?: Integer;
  BlkioWeightDevice?: readonly unknown[] | null | undefined;
  IOMaximumIOps?: Integer;
  IOMaximumBandwidth?: Integer;
  Ulimits?: readonly { Name: string; Soft: number | bigint; Hard: number | bigint }[] | null | undefined;
  OomScoreAdj?: Integer;
  ShmSize?: Integer;
}

/** What the checks need to know of the host (and of what berth applies). */
export interface HostResources {
  /** CPUs the daemon may run on (sched_getaffinity). */
  cpus: number;
  /** The CPUs and memory nodes of the root cpuset (`0-3`). */
  cpusetCpus: string;
  cpusetMems: string;
  /** A swap limit can be set (memory.memsw.limit_in_bytes on cgroup v1). */
  swapLimit: boolean;
  /** A swappiness can be set (memory.swappiness: cgroup v1 only). */
  memorySwappiness: boolean;
  /** The host has a Block I/O weight (blkio.weight, io.weight); berth applies none either way. */
  blkioWeight: boolean;
  blkioWeightDevice: boolean;
}

export interface ResourceCheck {
  /** dockerd's warnings, for the answer's `Warnings`. */
  warnings: string[];
  /** Fields to take instead of the ones given (a swappiness the host cannot set is dropped, …). */
  adjusted: Pick<ResourceFields, 'MemorySwap' | 'MemorySwappiness'>;
}

const MIN_MEMORY = 6n * 1024n * 1024n;

const big = (value: Integer): bigint => (value === null || value === undefined ? 0n : BigInt(value));

function refuse(message: string): never {
  throw errors.invalidArgument('invalid-resources', message);
}

/** dockerd's memory checks; updates `adjusted` and `warnings`. */
function checkMemory(fields: ResourceFields, host: HostResources, update: boolean, out: ResourceCheck): void {
  const memory = big(fields.Memory);
  let swap = big(fields.MemorySwap);
  if (memory !== 0n && memory < MIN_MEMORY) refuse('Minimum memory limit allowed is 6MB');
  if (memory > 0n && swap !== -1n && !host.swapLimit) {
    out.warnings.push('Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.');
    out.adjusted.MemorySwap = -1;
    swap = -1n;
  }
  if (memory > 0n && swap > 0n && swap < memory) refuse('Minimum memoryswap limit should be larger than memory limit, see usage');
  if (memory === 0n && swap > 0n && !update) refuse('You should always set the Memory limit when using Memoryswap limit, see usage');
  const swappiness = fields.MemorySwappiness === null || fields.MemorySwappiness === undefined || big(fields.MemorySwappiness) === -1n
    ? undefined : big(fields.MemorySwappiness);
  if (swappiness !== undefined && !host.memorySwappiness) {
    out.warnings.push('Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.');
    out.adjusted.MemorySwappiness = null;
  } else if (swappiness !== undefined && (swappiness < 0n || swappiness > 100n)) {
    refuse(`Invalid value: ${swappiness}, valid memory swappiness range is 0-100`);
  }
  const reservation = big(fields.MemoryReservation);
  if (reservation > 0n && reservation < MIN_MEMORY) refuse('Minimum memory reservation allowed is 6MB');
  if (memory > 0n && reservation > 0n && memory < reservation) refuse('Minimum memory limit can not be less than memory reservation limit, see usage');
  const kernel = big(fields.KernelMemory);
  if (kernel > 0n) out.warnings.push('Specifying a kernel memory limit is deprecated and will be removed in a future release.');
  if (kernel > 0n && kernel < MIN_MEMORY) refuse('Minimum kernel memory limit allowed is 6MB');
}

/** dockerd's CPU and cpuset checks. */
function checkCpu(fields: ResourceFields, host: HostResources, out: ResourceCheck): void {
  const nanoCpus = big(fields.NanoCpus);
  const period = big(fields.CpuPeriod);
  const quota = big(fields.CpuQuota);
  if (nanoCpus > 0n && period > 0n) refuse('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nanoCpus > 0n && quota > 0n) refuse('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (nanoCpus < 0n || nanoCpus > BigInt(host.cpus) * 1_000_000_000n) {
    refuse(`Range of CPUs is from 0.01 to ${host.cpus}.00, as there are only ${host.cpus} CPUs available`);
  }
  if (period !== 0n && (period < 1000n || period > 1_000_000n)) refuse('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  if (quota > 0n && quota < 1000n) refuse('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (big(fields.CpuPercent) > 0n) out.warnings.push('linux does not support CPU percent. Percent discarded.');
  const cpus = fields.CpusetCpus ?? '';
  const cpusProblem = cpusetProblem(cpus, host.cpusetCpus);
  if (cpusProblem === 'unavailable') refuse(`Requested CPUs are not available - requested ${cpus}, available: ${host.cpusetCpus}`);
  if (cpusProblem !== undefined) refuse(`Invalid value ${cpus} for cpuset cpus: ${cpusProblem.invalid}`);
  const mems = fields.CpusetMems ?? '';
  const memsProblem = cpusetProblem(mems, host.cpusetMems);
  if (memsProblem === 'unavailable') refuse(`Requested memory nodes are not available - requested ${mems}, available: ${host.cpusetMems}`);
  if (memsProblem !== undefined) refuse(`Invalid value ${mems} for cpuset mems: ${memsProblem.invalid}`);
}

/** dockerd's Block I/O checks; berth applies no weight, so a weight is always discarded. */
function checkBlkio(fields: ResourceFields, host: HostResources, update: boolean, out: ResourceCheck): void {
  const weight = big(fields.BlkioWeight);
  if (weight > 0n && !host.blkioWeight) out.warnings.push('Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.');
  else if (weight > 0n && (weight < 10n || weight > 1000n)) refuse('Range of blkio weight is from 10 to 1000');
  else if (weight > 0n) out.warnings.push('berth does not apply a Block I/O weight. Weight discarded.');
  if (update && (big(fields.IOMaximumBandwidth) !== 0n || big(fields.IOMaximumIOps) !== 0n)) {
    refuse('Invalid QoS settings: linux does not support Maximum IO Bandwidth or Maximum IO IOps');
  }
  if ((fields.BlkioWeightDevice ?? []).length > 0) {
    out.warnings.push(host.blkioWeightDevice
      ? 'berth does not apply a Block I/O weight per device. Weight-device discarded.'
      : 'Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.');
  }
}

/**
 * Checks the resource fields of a create (`update` false) or an update body. Throws
 * invalid-argument (`invalid-resources`) with dockerd's message for the first bad value; returns
 * dockerd's warnings and the fields to take instead. Pure.
 */
export function checkResources(fields: ResourceFields, host: HostResources, update: boolean): ResourceCheck {
  const out: ResourceCheck = { warnings: [], adjusted: {} };
  // Checked while decoding a create body, before the daemon's checks.
  if (!update && big(fields.IOMaximumBandwidth) !== 0n) refuse('Invalid QoS settings: linux does not support configuration of maximum bandwidth');
  if (!update && big(fields.IOMaximumIOps) !== 0n) refuse('Invalid QoS settings: linux does not support configuration of maximum IOPs');
  checkMemory(fields, host, update, out);
  checkCpu(fields, host, out);
  checkBlkio(fields, host, update, out);
  if (big(fields.ShmSize) < 0n) refuse('SHM size can not be less than 0');
  const oomScoreAdj = big(fields.OomScoreAdj);
  if (oomScoreAdj < -1000n || oomScoreAdj > 1000n) refuse(`Invalid value ${oomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  // berth's own check (dockerd leaves it to runc at start): on the exact values, -1 (unlimited) aside.
  (fields.Ulimits ?? []).forEach((ulimit, index) => {
    const soft = BigInt(ulimit.Soft);
    const hard = BigInt(ulimit.Hard);
    if (soft !== -1n && hard !== -1n && soft > hard) refuse(`HostConfig.Ulimits[${index}]: ${ulimit.Name} soft limit ${soft} exceeds hard limit ${hard}`);
  });
  return out;
}
