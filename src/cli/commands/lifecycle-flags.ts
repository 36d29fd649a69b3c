/**
 * The lifecycle flags of `run` / `create`: `--restart` and the health check (`--health-*`,
 * `--no-healthcheck`, and berth's `--health-on-failure`, sent as the label the daemon reads).
 * Durations are Go's (`1s`, `1m30s`) and go to the API in nanoseconds.
 */
import { errors } from '../../base/errors.js';
import { goDurationMs } from '../../base/go-duration.js';
import type { ContainerCreateConfig, HealthcheckBody } from '../../wire/containers.js';
import type { OptionSpec } from '../args/command-spec.js';

/** The label that carries `--health-on-failure` (engine/health/health-config.ts reads it). */
const HEALTH_ON_FAILURE_LABEL = 'io.berth.health-on-failure';

export interface LifecycleFlags {
  restart?: string;
  healthCmd?: string;
  healthInterval?: string;
  healthTimeout?: string;
  healthRetries?: string;
  healthStartPeriod?: string;
  healthStartInterval?: string;
  /** false with --no-healthcheck. */
  healthcheck?: boolean;
  healthOnFailure?: string;
}

/** The health-check flags a service takes (those of `run` but --health-start-interval and --health-on-failure). */
export type ServiceHealthFlags = Pick<LifecycleFlags, 'healthCmd' | 'healthInterval' | 'healthTimeout' | 'healthRetries' | 'healthStartPeriod' | 'healthcheck'>;

export const LIFECYCLE_OPTIONS: OptionSpec[] = [
  { flags: '--restart <policy>', description: 'restart policy: no, on-failure[:max-retries], always, unless-stopped' },
  { flags: '--health-cmd <command>', description: 'command to run to check health (run by /bin/sh -c)' },
  { flags: '--health-interval <duration>', description: 'time between health checks (default 30s)' },
  { flags: '--health-timeout <duration>', description: 'maximum time a check may run (default 30s)' },
  { flags: '--health-retries <n>', description: 'failures in a row that make the container unhealthy (default 3)' },
  { flags: '--health-start-period <duration>', description: 'time to start before failures count (default 0s)' },
  { flags: '--health-start-interval <duration>', description: 'time between checks during the start period (default 5s)' },
  { flags: '--no-healthcheck', description: 'disable the image\'s HEALTHCHECK' },
  { flags: '--health-on-failure <action>', description: 'when the container turns unhealthy: none (default), restart, stop or kill' },
];

function nanoseconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = goDurationMs(value);
  if (ms === undefined) throw errors.invalidArgument('invalid-flag', `${flag} ${value}: want a duration such as 30s or 1m30s`);
  return Math.round(ms * 1e6);
}

/** The fields these flags add to the create body. Throws invalid-argument naming the flag. */
export function lifecycleFields(flags: LifecycleFlags, labels: Record<string, string> | undefined): Pick<ContainerCreateConfig, 'Healthcheck' | 'Labels'> & { RestartPolicy?: { Name: string; MaximumRetryCount: number } } {
  const fields: ReturnType<typeof lifecycleFields> = {};
  if (flags.restart !== undefined) {
    const match = /^([a-z-]+)(?::(\d+))?$/.exec(flags.restart);
    if (match === null) throw errors.invalidArgument('invalid-flag', `--restart ${flags.restart}: want no, on-failure[:max-retries], always or unless-stopped`);
    fields.RestartPolicy = { Name: match[1] ?? '', MaximumRetryCount: Number(match[2] ?? '0') };
  }
  const check: HealthcheckBody = {};
  if (flags.healthCmd !== undefined) check.Test = ['CMD-SHELL', flags.healthCmd];
  const durations = { Interval: flags.healthInterval, Timeout: flags.healthTimeout, StartPeriod: flags.healthStartPeriod, StartInterval: flags.healthStartInterval };
  for (const [field, value] of Object.entries(durations)) {
    const ns = nanoseconds(value, `--health-${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`).slice(1)}`);
    if (ns !== undefined) check[field as keyof typeof durations] = ns;
  }
  if (flags.healthRetries !== undefined) {
    const retries = Number(flags.healthRetries);
    if (!Number.isSafeInteger(retries) || retries < 0) throw errors.invalidArgument('invalid-flag', `--health-retries ${flags.healthRetries}: want a number`);
    check.Retries = retries;
  }
  if (flags.healthcheck === false) {
    if (Object.keys(check).length > 0) throw errors.invalidArgument('invalid-flag', '--no-healthcheck conflicts with --health-* options');
    check.Test = ['NONE'];
  }
  if (Object.keys(check).length > 0) fields.Healthcheck = check;
  if (flags.healthOnFailure !== undefined) {
    if (!['none', 'restart', 'stop', 'kill'].includes(flags.healthOnFailure)) {
      throw errors.invalidArgument('invalid-flag', `--health-on-failure ${flags.healthOnFailure}: want none, restart, stop or kill`);
    }
    fields.Labels = { ...(labels ?? {}), [HEALTH_ON_FAILURE_LABEL]: flags.healthOnFailure };
  }
  return fields;
}
