/**
 * The `--update-*` and `--rollback-*` flags of `service create` and `service update`, pure:
 * their options, and Docker's UpdateConfig / RollbackConfig from them over the current one (only
 * what a flag names changes; Swarm's defaults otherwise). Throws invalid-argument naming the flag.
 */
import type { OptionSpec } from '../args/command-spec.js';
import type { SwarmUpdateConfig } from '../../wire/swarm-rolling.js';
import { badFlag, count, durationNs } from './service-flag-values.js';

export type RollingPrefix = 'update' | 'rollback';

/** The parsed flags (camelCased long names). */
export interface RollingFlags {
  updateParallelism?: string;
  updateDelay?: string;
  updateOrder?: string;
  updateFailureAction?: string;
  updateMonitor?: string;
  updateMaxFailureRatio?: string;
  rollbackParallelism?: string;
  rollbackDelay?: string;
  rollbackOrder?: string;
  rollbackFailureAction?: string;
  rollbackMonitor?: string;
  rollbackMaxFailureRatio?: string;
}

const NAMES = ['Parallelism', 'Delay', 'Order', 'FailureAction', 'Monitor', 'MaxFailureRatio'] as const;
type Name = (typeof NAMES)[number];

/** Swarm's defaults. */
export const DEFAULT_ROLLING_CONFIG: SwarmUpdateConfig = { Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' };

export function rollingOptions(prefix: RollingPrefix): OptionSpec[] {
  return [
    { flags: `--${prefix}-parallelism <n>`, description: `tasks ${prefix === 'update' ? 'updated' : 'rolled back'} at once (0: all at once; default 1)` },
    { flags: `--${prefix}-delay <duration>`, description: 'wait between batches (e.g. 10s)' },
    { flags: `--${prefix}-order <order>`, description: 'stop-first (default) or start-first (the new task runs before the old one stops)' },
    { flags: `--${prefix}-failure-action <action>`, description: prefix === 'update' ? 'when the update fails: pause (default), continue or rollback' : 'when the rollback fails: pause (default) or continue' },
    { flags: `--${prefix}-monitor <duration>`, description: 'how long each new task is watched for failure once running (default 5s)' },
    { flags: `--${prefix}-max-failure-ratio <ratio>`, description: 'failed tasks tolerated, as a fraction of the tasks (default 0)' },
  ];
}

const value = (flags: RollingFlags, prefix: RollingPrefix, name: Name): string | undefined => flags[`${prefix}${name}`];

function oneOf<T extends string>(given: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (given === undefined) return undefined;
  const found = allowed.find((a) => a === given);
  if (found === undefined) throw badFlag(flag, given, `want ${allowed.join(', ')}`);
  return found;
}

function ratio(given: string | undefined, flag: string): number | undefined {
  if (given === undefined) return undefined;
  const n = Number(given);
  if (given.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw badFlag(flag, given, 'want a fraction from 0 to 1');
  return n;
}

/** Whether any `--<prefix>-*` flag was given. */
export function hasRollingFlags(flags: RollingFlags, prefix: RollingPrefix): boolean {
  return NAMES.some((name) => value(flags, prefix, name) !== undefined);
}

/** The config with the `--<prefix>-*` flags over `current` (absent: Swarm's defaults). */
export function rollingConfig(current: SwarmUpdateConfig | undefined, flags: RollingFlags, prefix: RollingPrefix): SwarmUpdateConfig {
  const flag = (name: string): string => `--${prefix}-${name}`;
  const actions = prefix === 'update' ? ['pause', 'continue', 'rollback'] as const : ['pause', 'continue'] as const;
  const next: SwarmUpdateConfig = { ...DEFAULT_ROLLING_CONFIG, ...current };
  const parallelism = count(value(flags, prefix, 'Parallelism'), flag('parallelism'));
  const delay = durationNs(value(flags, prefix, 'Delay'), flag('delay'));
  const monitor = durationNs(value(flags, prefix, 'Monitor'), flag('monitor'));
  const order = oneOf(value(flags, prefix, 'Order'), flag('order'), ['stop-first', 'start-first'] as const);
  const action = oneOf(value(flags, prefix, 'FailureAction'), flag('failure-action'), actions);
  const maxRatio = ratio(value(flags, prefix, 'MaxFailureRatio'), flag('max-failure-ratio'));
  if (parallelism !== undefined) next.Parallelism = parallelism;
  if (delay !== undefined) next.Delay = delay;
  if (monitor !== undefined) next.Monitor = monitor;
  if (order !== undefined) next.Order = order;
  if (action !== undefined) next.FailureAction = action;
  if (maxRatio !== undefined) next.MaxFailureRatio = maxRatio;
  return next;
}
