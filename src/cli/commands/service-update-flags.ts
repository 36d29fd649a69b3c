/**
 * `berth service update` flags applied to a service's current spec (Docker's ServiceSpec, as
 * `service inspect` shows it), as the docker CLI does: only what a flag names changes. Pure.
 * Checks numbers, durations and enums and throws invalid-argument (`invalid-flag`) naming the flag.
 */
import { isDeepStrictEqual } from 'node:util';
import { errors } from '../../base/errors.js';
import type { SwarmServiceSpec, SwarmServiceSpecInput, SwarmUpdateConfig } from '../../wire/swarm.js';
import { envList } from './create-config.js';
import { lifecycleFields } from './lifecycle-flags.js';
import { count, durationNs } from './service-flags.js';

/** The parsed flags of `service update` (camelCased long names). */
export interface ServiceUpdateFlags {
  image?: string;
  envAdd: string[];
  envRm: string[];
  replicas?: string;
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
  healthCmd?: string;
  healthInterval?: string;
  healthTimeout?: string;
  healthRetries?: string;
  healthStartPeriod?: string;
  /** false with --no-healthcheck. */
  healthcheck?: boolean;
  force?: boolean;
  rollback?: boolean;
  detach?: boolean;
  wait?: boolean;
}

const bad = (flag: string, value: string, want: string): Error => errors.invalidArgument('invalid-flag', `${flag} ${value}: ${want}`);

function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw bad(flag, value, `want ${allowed.join(', ')}`);
  return found;
}

function ratio(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw bad(flag, value, 'want a fraction from 0 to 1');
  return n;
}

const DEFAULT_CONFIG: SwarmUpdateConfig = { Parallelism: 1, FailureAction: 'pause', Monitor: 5_000_000_000, MaxFailureRatio: 0, Order: 'stop-first' };

/** `--update-*` or `--rollback-*` over the current config. */
function updateConfig(current: SwarmUpdateConfig | undefined, flags: ServiceUpdateFlags, prefix: 'update' | 'rollback'): SwarmUpdateConfig {
  const get = (name: string): string | undefined => (flags as unknown as Record<string, string | undefined>)[`${prefix}${name}`];
  const flag = (name: string): string => `--${prefix}-${name}`;
  const actions = prefix === 'update' ? ['pause', 'continue', 'rollback'] as const : ['pause', 'continue'] as const;
  const next: SwarmUpdateConfig = { ...DEFAULT_CONFIG, ...current };
  const parallelism = count(get('Parallelism'), flag('parallelism'));
  const delay = durationNs(get('Delay'), flag('delay'));
  const monitor = durationNs(get('Monitor'), flag('monitor'));
  const order = oneOf(get('Order'), flag('order'), ['stop-first', 'start-first'] as const);
  const action = oneOf(get('FailureAction'), flag('failure-action'), actions);
  const maxRatio = ratio(get('MaxFailureRatio'), flag('max-failure-ratio'));
  if (parallelism !== undefined) next.Parallelism = parallelism;
  if (delay !== undefined) next.Delay = delay;
  if (monitor !== undefined) next.Monitor = monitor;
  if (order !== undefined) next.Order = order;
  if (action !== undefined) next.FailureAction = action;
  if (maxRatio !== undefined) next.MaxFailureRatio = maxRatio;
  return next;
}

/** `--env-add` replaces a variable of the same name; `--env-rm NAME` removes it. */
function env(current: readonly string[], flags: ServiceUpdateFlags, environment: Record<string, string | undefined>): string[] {
  const added = envList(flags.envAdd, environment);
  const nameOf = (entry: string): string => entry.split('=')[0] ?? entry;
  const dropped = new Set([...flags.envRm.map(nameOf), ...added.map(nameOf)]);
  return [...current.filter((entry) => !dropped.has(nameOf(entry))), ...added];
}

export interface ServiceUpdate {
  spec: SwarmServiceSpecInput;
  /** The task template changed (or --force): the tasks are rolled over. */
  rollsTasks: boolean;
  /** Anything changed at all. */
  changed: boolean;
}

/** The spec `service update` sends for `flags` over `current`. */
export function applyUpdateFlags(current: SwarmServiceSpec, flags: ServiceUpdateFlags, environment: Record<string, string | undefined>): ServiceUpdate {
  const template = structuredClone(current.TaskTemplate);
  const container = template.ContainerSpec;
  if (flags.image !== undefined) {
    if (flags.image === '') throw bad('--image', '""', 'want an image reference');
    container.Image = flags.image;
  }
  const nextEnv = env(container.Env ?? [], flags, environment);
  if (nextEnv.length > 0) container.Env = nextEnv;
  else delete container.Env;
  const health = lifecycleFields(flags, undefined).Healthcheck;
  if (health !== undefined && health !== null) {
    if (health.Test?.[0] === 'NONE') delete container.Healthcheck;
    else container.Healthcheck = { ...(container.Healthcheck ?? { Test: [] }), ...health, Test: health.Test ?? container.Healthcheck?.Test ?? [] } as NonNullable<typeof container.Healthcheck>;
  }
  if (flags.force === true) template.ForceUpdate += 1;
  let mode = current.Mode;
  const replicas = count(flags.replicas, '--replicas');
  if (replicas !== undefined) {
    if (!('Replicated' in mode)) throw bad('--replicas', flags.replicas ?? '', 'only a replicated service has replicas');
    mode = { Replicated: { Replicas: replicas } };
  }
  const spec: SwarmServiceSpec = {
    ...current,
    TaskTemplate: template,
    Mode: mode,
    UpdateConfig: updateConfig(current.UpdateConfig, flags, 'update'),
    RollbackConfig: updateConfig(current.RollbackConfig, flags, 'rollback'),
  };
  const rollsTasks = !isDeepStrictEqual(template, current.TaskTemplate);
  const changed = rollsTasks || !isDeepStrictEqual(spec, { ...current, UpdateConfig: { ...DEFAULT_CONFIG, ...current.UpdateConfig }, RollbackConfig: { ...DEFAULT_CONFIG, ...current.RollbackConfig } });
  return { spec, rollsTasks, changed };
}
