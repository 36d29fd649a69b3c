/**
 * Health checks as Docker defines them (image `HEALTHCHECK`, `--health-*` flags, API
 * Config.Healthcheck with durations in nanoseconds), resolved at create into what the monitor
 * runs: the container's settings win field by field, the image's fill what is left, Docker's
 * defaults the rest. `Test` is `["NONE"]` (disabled), `["CMD", arg…]` or `["CMD-SHELL", command]`.
 *
 * berth extension (Podman's `--health-on-failure`): the label `io.berth.health-on-failure` (so the
 * docker CLI can set it too, with `--label`) names what happens when the container turns
 * unhealthy: `none` (default), `restart`, `stop` or `kill`.
 */
import { z } from 'zod';
import { errors } from '../../base/errors.js';

export const HEALTH_ON_FAILURE_LABEL = 'io.berth.health-on-failure';
export const HEALTH_ON_FAILURE_ACTIONS = ['none', 'restart', 'stop', 'kill'] as const;
export type HealthOnFailure = (typeof HEALTH_ON_FAILURE_ACTIONS)[number];

/** Docker's Healthcheck object (image config and API); durations in nanoseconds, 0 = inherit. */
export interface HealthcheckSpec {
  Test?: string[] | null | undefined;
  Interval?: number | null | undefined;
  Timeout?: number | null | undefined;
  StartPeriod?: number | null | undefined;
  StartInterval?: number | null | undefined;
  Retries?: number | null | undefined;
}

/** What the monitor runs (stored in the container's config). */
export const healthcheckConfigSchema = z.object({
  /** The probe's argv (CMD-SHELL already turned into `/bin/sh -c`). */
  command: z.array(z.string()).min(1),
  /** Docker's Test as given, for inspect. */
  test: z.array(z.string()),
  intervalNs: z.number().int(),
  timeoutNs: z.number().int(),
  startPeriodNs: z.number().int(),
  startIntervalNs: z.number().int(),
  retries: z.number().int(),
  onFailure: z.enum(HEALTH_ON_FAILURE_ACTIONS),
});
export type HealthcheckConfig = z.infer<typeof healthcheckConfigSchema>;

const S = 1_000_000_000;
export const HEALTH_DEFAULTS = { intervalNs: 30 * S, timeoutNs: 30 * S, startPeriodNs: 0, startIntervalNs: 5 * S, retries: 3 } as const;
const MIN_DURATION_NS = 1_000_000;

function duration(field: string, ...values: (number | null | undefined)[]): number | undefined {
  for (const value of values) {
    if (value === null || value === undefined || value === 0) continue;
    if (!Number.isSafeInteger(value) || value < MIN_DURATION_NS) {
      throw errors.invalidArgument('invalid-healthcheck', `Healthcheck.${field}: cannot be less than 1ms`);
    }
    return value;
  }
  return undefined;
}

function onFailureOf(labels: Record<string, string>): HealthOnFailure {
  const value = labels[HEALTH_ON_FAILURE_LABEL] ?? 'none';
  if (!(HEALTH_ON_FAILURE_ACTIONS as readonly string[]).includes(value)) {
    throw errors.invalidArgument('invalid-health-on-failure', `label ${HEALTH_ON_FAILURE_LABEL}: "${value}" is not one of none, restart, stop, kill`);
  }
  return value as HealthOnFailure;
}

/**
 * The health check a container runs, or undefined (none, or `NONE`). Throws invalid-argument
 * (`invalid-healthcheck`) naming the field for a bad Test, a duration under 1 ms, negative retries,
 * or (`invalid-health-on-failure`) a bad action label.
 */
export function resolveHealthcheck(container: HealthcheckSpec | undefined, image: HealthcheckSpec | undefined, labels: Record<string, string> = {}): HealthcheckConfig | undefined {
  const onFailure = onFailureOf(labels);
  const test = container?.Test !== undefined && container.Test !== null && container.Test.length > 0 ? container.Test : (image?.Test ?? []);
  if (test.length === 0 || test[0] === 'NONE') return undefined;
  const [kind, ...rest] = test;
  let command: string[];
  if (kind === 'CMD') command = rest;
  else if (kind === 'CMD-SHELL') command = ['/bin/sh', '-c', rest.join(' ')];
  else throw errors.invalidArgument('invalid-healthcheck', `Healthcheck.Test: "${kind ?? ''}" is not NONE, CMD or CMD-SHELL`);
  if (command.length === 0 || command.join('') === '') throw errors.invalidArgument('invalid-healthcheck', 'Healthcheck.Test: no command');
  const retries = [container?.Retries, image?.Retries].find((r) => r !== null && r !== undefined && r !== 0) ?? HEALTH_DEFAULTS.retries;
  if (!Number.isSafeInteger(retries) || retries < 0) throw errors.invalidArgument('invalid-healthcheck', 'Healthcheck.Retries: cannot be negative');
  return {
    command,
    test,
    intervalNs: duration('Interval', container?.Interval, image?.Interval) ?? HEALTH_DEFAULTS.intervalNs,
    timeoutNs: duration('Timeout', container?.Timeout, image?.Timeout) ?? HEALTH_DEFAULTS.timeoutNs,
    startPeriodNs: duration('StartPeriod', container?.StartPeriod, image?.StartPeriod) ?? HEALTH_DEFAULTS.startPeriodNs,
    startIntervalNs: duration('StartInterval', container?.StartInterval, image?.StartInterval) ?? HEALTH_DEFAULTS.startIntervalNs,
    retries,
    onFailure,
  };
}
