/** The lifecycle parts of Docker's container JSON: RestartPolicy, Config.Healthcheck, State.Health. */
import type { HealthcheckConfig } from '../engine/health/health-config.js';
import type { HealthState } from '../engine/health/health-state.js';
import { NO_RESTART, type RestartPolicy } from '../engine/restart/restart-policy.js';
import type { HealthcheckView, HealthView, RestartPolicyView } from '../wire/container-inspect.js';

export function restartPolicyView(policy: RestartPolicy | undefined): RestartPolicyView {
  const { name, maximumRetryCount } = policy ?? NO_RESTART;
  return { Name: name, MaximumRetryCount: maximumRetryCount };
}

export function healthcheckView(config: HealthcheckConfig): HealthcheckView {
  return {
    Test: config.test, Interval: config.intervalNs, Timeout: config.timeoutNs, StartPeriod: config.startPeriodNs,
    StartInterval: config.startIntervalNs, Retries: config.retries,
  };
}

export function healthView(health: HealthState): HealthView {
  return {
    Status: health.status,
    FailingStreak: health.failingStreak,
    Log: health.log.map((r) => ({ Start: r.start, End: r.end, ExitCode: r.exitCode, Output: r.output })),
  };
}
