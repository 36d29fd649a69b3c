/** `berth service scale SERVICE=REPLICAS…` arguments, checked before any is applied (as Docker does), and the mode they give. Pure. */
import { errors } from '../../base/errors.js';
import type { SwarmServiceMode } from '../../wire/swarm.js';

export interface ScaleTarget {
  service: string;
  replicas: number;
}

/** `['web=3', 'api=0']` → targets; a malformed one throws invalid-argument naming it. */
export function parseScaleArgs(pairs: readonly string[]): ScaleTarget[] {
  return pairs.map((pair) => {
    const match = /^([^=]+)=(\d+)$/.exec(pair);
    const replicas = Number(match?.[2]);
    if (match === null || !Number.isSafeInteger(replicas)) {
      throw errors.invalidArgument('invalid-scale', `invalid scale specifier '${pair}': want SERVICE=REPLICAS, e.g. web=3`);
    }
    return { service: match[1] ?? '', replicas };
  });
}

/**
 * The mode of a service scaled to `replicas`: a replicated service's replicas, or a replicated
 * job's TotalCompletions (as the docker CLI does; at least 1). The global modes are refused.
 */
export function scaledMode(mode: SwarmServiceMode, replicas: number, ref: string): SwarmServiceMode {
  if ('Replicated' in mode) return { Replicated: { Replicas: replicas } };
  if ('ReplicatedJob' in mode) {
    if (replicas === 0) throw errors.invalidArgument('invalid-scale', `${ref}: a replicated job needs at least 1 completion (remove it with 'berth service rm ${ref}')`);
    return { ReplicatedJob: { ...mode.ReplicatedJob, TotalCompletions: replicas } };
  }
  throw errors.invalidArgument('global-service', `${ref}: scale can only be used with replicated or replicated-job mode (${'GlobalJob' in mode ? 'a global job' : 'a global service'} runs one task per node)`);
}
