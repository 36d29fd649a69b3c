/** `berth service scale SERVICE=REPLICAS…` arguments, checked before any is applied (as Docker does). Pure. */
import { errors } from '../../base/errors.js';

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
