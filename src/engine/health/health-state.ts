/**
 * A container's health as Docker reports it (State.Health): status, failing streak, the last five
 * probe results. `applyProbe` is the pure step from one result to the next state.
 */
import { z } from 'zod';
import type { HealthcheckConfig } from './health-config.js';

export const HEALTH_LOG_ENTRIES = 5;
/** Docker keeps the first 4096 bytes of a probe's output. */
export const HEALTH_OUTPUT_MAX = 4096;

export const probeResultSchema = z.object({
  start: z.string(),
  end: z.string(),
  /** 0 healthy, 1 unhealthy, -1 when the probe could not run or timed out (as Docker). */
  exitCode: z.number().int(),
  output: z.string(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

export const healthStateSchema = z.object({
  status: z.enum(['starting', 'healthy', 'unhealthy']),
  failingStreak: z.number().int(),
  log: z.array(probeResultSchema),
});
export type HealthState = z.infer<typeof healthStateSchema>;
export type HealthStatus = HealthState['status'];

export function initialHealth(): HealthState {
  return { status: 'starting', failingStreak: 0, log: [] };
}

/**
 * The state after `result`. A success makes the container healthy and clears the streak. A
 * failure adds to the streak, and `retries` failures in a row make it unhealthy — except while it
 * has never been healthy and is still within its start period (`startedAt` + start period).
 */
export function applyProbe(state: HealthState, result: ProbeResult, config: HealthcheckConfig, startedAt: string): HealthState {
  const log = [...state.log, result].slice(-HEALTH_LOG_ENTRIES);
  if (result.exitCode === 0) return { status: 'healthy', failingStreak: 0, log };
  const sinceStartNs = (Date.parse(result.start) - Date.parse(startedAt)) * 1e6;
  if (state.status === 'starting' && sinceStartNs < config.startPeriodNs) return { ...state, log };
  const failingStreak = state.failingStreak + 1;
  return { status: failingStreak >= config.retries ? 'unhealthy' : state.status, failingStreak, log };
}

/** The wait before the next probe: the start interval while starting within the start period, else the interval. */
export function nextProbeDelayMs(state: HealthState, config: HealthcheckConfig, startedAt: string, now: Date): number {
  const inStartPeriod = state.status === 'starting' && (now.getTime() - Date.parse(startedAt)) * 1e6 < config.startPeriodNs;
  return (inStartPeriod ? config.startIntervalNs : config.intervalNs) / 1e6;
}

/** Docker's words in `ps`: `(healthy)`, `(unhealthy)`, `(health: starting)`. */
export function healthSuffix(status: HealthStatus): string {
  return status === 'starting' ? '(health: starting)' : `(${status})`;
}
