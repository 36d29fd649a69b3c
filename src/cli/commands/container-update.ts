/** `rename` and `update` (live resource limits). */
import type { GlobalOptions } from '../args/command-spec.js';
import type { ContainerUpdate } from '../../client/container-types.js';
import { forEachTarget, withClient } from '../context.js';
import { integer, nanoCpus, size } from './create-config.js';

export interface UpdateFlags {
  memory?: string;
  memorySwap?: string;
  memoryReservation?: string;
  cpus?: string;
  cpuShares?: string;
  cpuPeriod?: string;
  cpuQuota?: string;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: string;
}

/** The update body of the flags given (undefined fields are not sent: they stay as they are). Throws invalid-argument naming the flag. */
export function updateBody(flags: UpdateFlags): ContainerUpdate {
  return {
    Memory: size(flags.memory, '--memory'),
    MemorySwap: size(flags.memorySwap, '--memory-swap', true),
    MemoryReservation: size(flags.memoryReservation, '--memory-reservation'),
    NanoCpus: flags.cpus === undefined ? undefined : nanoCpus(flags.cpus),
    CpuShares: integer(flags.cpuShares, '--cpu-shares'),
    CpuPeriod: integer(flags.cpuPeriod, '--cpu-period'),
    CpuQuota: integer(flags.cpuQuota, '--cpu-quota'),
    CpusetCpus: flags.cpusetCpus,
    CpusetMems: flags.cpusetMems,
    PidsLimit: integer(flags.pidsLimit, '--pids-limit'),
  };
}

/** `update [flags] CONTAINER...`: prints each container updated. */
export async function updateAction(globals: GlobalOptions, targets: string[], flags: UpdateFlags): Promise<void> {
  const body = updateBody(flags);
  await withClient(globals, (client) => forEachTarget(targets, async (target) => {
    await client.containers.update(target, body);
    process.stdout.write(`${target}\n`);
  }));
}

/** `rename CONTAINER NEW_NAME`. */
export async function renameAction(globals: GlobalOptions, target: string, name: string): Promise<void> {
  await withClient(globals, (client) => client.containers.rename(target, name));
}
