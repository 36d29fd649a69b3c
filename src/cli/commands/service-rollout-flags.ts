/**
 * berth's rollout flags of `service create|update`, which become service labels
 * (wire/swarm-labels.ts; berthd reads them): the canary, `--update-canary 2` (tasks) or `25%` (a
 * share) and `--update-canary-auto-promote` (`--update-canary 0` removes it); the disruption
 * limit, `--min-available N` (0 removes it). Pure; a wrong value throws invalid-argument
 * (`invalid-flag`) naming the flag.
 */
import { CANARY_AUTO_PROMOTE_LABEL, CANARY_LABEL, MIN_AVAILABLE_LABEL, parseCanarySize } from '../../wire/swarm-labels.js';
import type { OptionSpec } from '../args/command-spec.js';
import { badFlag as bad, count } from './service-flag-values.js';

export interface CanaryFlags {
  updateCanary?: string;
  updateCanaryAutoPromote?: boolean;
  minAvailable?: string;
}

export const CANARY_OPTIONS: OptionSpec[] = [
  { flags: '--update-canary <n|n%>', description: 'an update first replaces this many tasks (or this share), then holds until `service promote` (0: no canary)' },
  { flags: '--update-canary-auto-promote', description: 'a canary goes on by itself once its tasks ran clean for the update monitor window' },
  { flags: '--min-available <n>', description: 'a drain or a stop-first update never leaves fewer running tasks (a drained node\'s task stops once its successor runs; 0: no limit)' },
];

/** The service's labels with the canary flags applied (a job's are refused with its other `--update-*` flags). */
export function canaryLabels(current: Readonly<Record<string, string>>, flags: CanaryFlags): Record<string, string> {
  const limited = minAvailableLabel(current, flags.minAvailable);
  const labels = { ...limited };
  const size = flags.updateCanary;
  if (size === undefined && flags.updateCanaryAutoPromote !== true) return labels;
  if (size === '0') return Object.fromEntries(Object.entries(labels).filter(([key]) => key !== CANARY_LABEL && key !== CANARY_AUTO_PROMOTE_LABEL));
  if (size !== undefined) {
    if (parseCanarySize(size) === undefined) throw bad('--update-canary', size, 'want a number of tasks (2) or a share of them (25%)');
    labels[CANARY_LABEL] = size;
  }
  if (flags.updateCanaryAutoPromote === true) {
    if (labels[CANARY_LABEL] === undefined) throw bad('--update-canary-auto-promote', '', 'only a canary update (--update-canary) is promoted');
    labels[CANARY_AUTO_PROMOTE_LABEL] = 'true';
  }
  return labels;
}

/** The labels with `--min-available` applied. */
function minAvailableLabel(current: Readonly<Record<string, string>>, value: string | undefined): Record<string, string> {
  if (value === undefined) return { ...current };
  const n = count(value, '--min-available') ?? 0;
  const rest = Object.fromEntries(Object.entries(current).filter(([key]) => key !== MIN_AVAILABLE_LABEL));
  return n === 0 ? rest : { ...rest, [MIN_AVAILABLE_LABEL]: String(n) };
}
