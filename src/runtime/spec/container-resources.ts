import { errors } from '../../base/errors.js';
import type { ContainerOptions } from './container-options.js';
import { parseDeviceCgroupRules } from './device-cgroup-rules.js';
import type { OciCpu, OciDeviceCgroupRule, OciMemory, OciResources } from './oci-runtime-spec.js';

const MIN_MEMORY = 6 * 1024 * 1024;
const NANO_CPU_PERIOD = 100_000;

/**
 * Docker's device cgroup defaults: deny everything, then allow /dev/zero (c 1:5), null (1:3),
 * urandom (1:9), random (1:8), tty (5:0) and console (5:1), and deny /dev/fuse (c 10:229). runc appends its own defaults after these (`c *:* m`, `b *:* m`, /dev/pts
 * c 136:*, /dev/ptmx c 5:2, /dev/net/tun c 10:200).
 */
export const DEFAULT_DEVICE_RULES: readonly OciDeviceCgroupRule[] = [
  { allow: false, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
  { allow: false, type: 'c', major: 10, minor: 229, access: 'rwm' },
];

/**
 * `linux.resources` for the options, with Docker's validation and conversions:
 * - memory ≥ 6 MiB; memorySwap (memory+swap) absent or 0 → 2 × memory, -1 → unlimited (not
 *   written), else ≥ memory and only with memory; memoryReservation ≥ 6 MiB and ≤ memory;
 * - nanoCpus → period 100000 µs and quota nanoCpus × 100000 / 1e9, exclusive with cpuQuota and
 *   cpuPeriod; cpuPeriod 1000..1000000; cpuQuota ≥ 1000 when positive; cpuShares ≥ 0;
 * - memorySwappiness 0..100 (-1: the parent's, as absent);
 * - cpuRealtimePeriod ≥ 0; cpuRealtimeRuntime not above cpuRealtimePeriod when both are set;
 * - pidsLimit ≤ 0 → -1 (unlimited);
 * - devices: DEFAULT_DEVICE_RULES then the deviceCgroupRules, or allow-all when privileged.
 * Throws invalid-argument (reason `invalid-resources`, `invalid-device-cgroup-rule`) naming the option.
 */
export function containerResources(options: ContainerOptions): OciResources {
  const resources: OciResources = {
    devices: options.privileged === true
      ? [{ allow: true, access: 'rwm' }]
      : [...DEFAULT_DEVICE_RULES.map((rule) => ({ ...rule })), ...parseDeviceCgroupRules(options.deviceCgroupRules ?? [], 'deviceCgroupRules')],
  };
  const memory = memoryResources(options);
  if (memory) resources.memory = memory;
  const cpu = cpuResources(options);
  if (cpu) resources.cpu = cpu;
  if (options.pidsLimit !== undefined) {
    integer(options.pidsLimit, 'pidsLimit');
    resources.pids = { limit: options.pidsLimit <= 0 ? -1 : options.pidsLimit };
  }
  return resources;
}

function invalid(message: string): never {
  throw errors.invalidArgument('invalid-resources', message);
}

function integer(value: number, option: string): void {
  if (!Number.isSafeInteger(value)) invalid(`${option}: ${value} is not an integer`);
}

function memoryResources(options: ContainerOptions): OciMemory | undefined {
  const memory = options.memory ?? 0;
  let swap = options.memorySwap ?? 0;
  const reservation = options.memoryReservation ?? 0;
  integer(memory, 'memory');
  integer(swap, 'memorySwap');
  integer(reservation, 'memoryReservation');
  if (memory < 0) invalid(`memory: ${memory} is negative`);
  if (memory !== 0 && memory < MIN_MEMORY) invalid('memory: the minimum memory limit is 6MB');
  if (swap < -1) invalid(`memorySwap: ${swap} is below -1`);
  if (memory === 0 && swap > 0) invalid('memorySwap: set memory too when setting memorySwap');
  if (memory > 0 && swap > 0 && swap < memory) invalid('memorySwap: must be at least memory (it is memory + swap)');
  if (reservation < 0) invalid(`memoryReservation: ${reservation} is negative`);
  if (reservation > 0 && reservation < MIN_MEMORY) invalid('memoryReservation: the minimum is 6MB');
  if (memory > 0 && reservation > memory) invalid('memoryReservation: must not exceed memory');
  if (memory > 0 && swap === 0) swap = memory * 2;
  const swappiness = options.memorySwappiness ?? -1;
  integer(swappiness, 'memorySwappiness');
  if (swappiness < -1 || swappiness > 100) invalid(`memorySwappiness: Invalid value: ${swappiness}, valid memory swappiness range is 0-100`);

  const result: OciMemory = {};
  if (memory > 0) result.limit = memory;
  if (reservation > 0) result.reservation = reservation;
  if (swap > 0) result.swap = swap;
  if (swappiness >= 0) result.swappiness = swappiness;
  return Object.keys(result).length > 0 ? result : undefined;
}

function cpuResources(options: ContainerOptions): OciCpu | undefined {
  const { cpuShares = 0, cpuQuota = 0, cpuPeriod = 0, nanoCpus = 0 } = options;
  integer(cpuShares, 'cpuShares');
  integer(cpuQuota, 'cpuQuota');
  integer(cpuPeriod, 'cpuPeriod');
  integer(nanoCpus, 'nanoCpus');
  if (cpuShares < 0) invalid(`cpuShares: ${cpuShares} is negative`);
  if (nanoCpus < 0) invalid(`nanoCpus: ${nanoCpus} is negative`);
  if (nanoCpus > 0 && cpuPeriod > 0) invalid('nanoCpus: cannot be set together with cpuPeriod');
  if (nanoCpus > 0 && cpuQuota > 0) invalid('nanoCpus: cannot be set together with cpuQuota');
  if (cpuPeriod !== 0 && (cpuPeriod < 1000 || cpuPeriod > 1_000_000)) invalid('cpuPeriod: must be between 1000 and 1000000 (1ms to 1s)');
  if (cpuQuota > 0 && cpuQuota < 1000) invalid('cpuQuota: must be at least 1000 (1ms)');
  const { cpuRealtimePeriod = 0, cpuRealtimeRuntime = 0 } = options;
  integer(cpuRealtimePeriod, 'cpuRealtimePeriod');
  integer(cpuRealtimeRuntime, 'cpuRealtimeRuntime');
  if (cpuRealtimePeriod < 0) invalid(`cpuRealtimePeriod: ${cpuRealtimePeriod} is negative`);
  if (cpuRealtimePeriod !== 0 && cpuRealtimeRuntime > cpuRealtimePeriod) invalid('cpuRealtimeRuntime: cpu real-time runtime cannot be higher than cpu real-time period');

  const result: OciCpu = {};
  if (cpuShares > 0) result.shares = cpuShares;
  if (options.cpusetCpus !== undefined && options.cpusetCpus !== '') result.cpus = cpuset(options.cpusetCpus, 'cpusetCpus');
  if (options.cpusetMems !== undefined && options.cpusetMems !== '') result.mems = cpuset(options.cpusetMems, 'cpusetMems');
  if (nanoCpus > 0) {
    result.period = NANO_CPU_PERIOD;
    result.quota = Number((BigInt(nanoCpus) * BigInt(NANO_CPU_PERIOD)) / 1_000_000_000n);
  }
  if (cpuPeriod !== 0) result.period = cpuPeriod;
  if (cpuQuota !== 0) result.quota = cpuQuota;
  if (cpuRealtimePeriod !== 0) result.realtimePeriod = cpuRealtimePeriod;
  if (cpuRealtimeRuntime !== 0) result.realtimeRuntime = cpuRealtimeRuntime;
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Checks a cpuset list such as `0-2,4` (ascending ranges of non-negative integers). */
function cpuset(value: string, option: string): string {
  for (const part of value.split(',')) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!range || (range[2] !== undefined && Number(range[2]) < Number(range[1]))) {
      invalid(`${option}: "${value}" is not a list like 0-2,4`);
    }
  }
  return value;
}
