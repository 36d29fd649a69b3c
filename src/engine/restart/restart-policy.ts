/**
 * Restart policies as Docker has them (`--restart`, HostConfig.RestartPolicy) and the decisions
 * they make. Pure: the supervisor (restart-supervisor.ts) applies them.
 *
 * - `no`: never restarted.
 * - `on-failure[:N]`: restarted after a non-zero exit, at most N times (0 = no limit).
 * - `always`: restarted after every exit; also started when berthd starts, even after a manual stop.
 * - `unless-stopped`: as `always`, but a manual stop keeps it stopped, across berthd restarts too.
 *
 * A manual stop (`stop`, `kill`) disables the policy until the next manual start, as in Docker.
 */
import { z } from 'zod';
import { errors } from '../../base/errors.js';

export const RESTART_POLICY_NAMES = ['no', 'on-failure', 'always', 'unless-stopped'] as const;
export type RestartPolicyName = (typeof RESTART_POLICY_NAMES)[number];

export const restartPolicySchema = z.object({
  name: z.enum(RESTART_POLICY_NAMES),
  /** Only with on-failure; 0 = no limit. */
  maximumRetryCount: z.number().int().min(0),
});
export type RestartPolicy = z.infer<typeof restartPolicySchema>;

export const NO_RESTART: RestartPolicy = { name: 'no', maximumRetryCount: 0 };

/**
 * Checks a policy as the API gives it (`Name` may be empty: no). Throws invalid-argument
 * (`invalid-restart-policy`) naming `field` for an unknown name, a negative count, a count with
 * another policy than on-failure, or any policy with `autoRemove` (Docker's conflict with --rm).
 */
export function checkRestartPolicy(name: string, maximumRetryCount: number, autoRemove: boolean, field = 'HostConfig.RestartPolicy'): RestartPolicy {
  const policyName = name === '' ? 'no' : name;
  if (!(RESTART_POLICY_NAMES as readonly string[]).includes(policyName)) {
    throw errors.invalidArgument('invalid-restart-policy', `${field}: invalid restart policy '${name}' (use no, on-failure[:max-retries], always or unless-stopped)`);
  }
  if (!Number.isSafeInteger(maximumRetryCount) || maximumRetryCount < 0) {
    throw errors.invalidArgument('invalid-restart-policy', `${field}: maximum retry count cannot be negative`);
  }
  if (maximumRetryCount > 0 && policyName !== 'on-failure') {
    throw errors.invalidArgument('invalid-restart-policy', `${field}: maximum retry count cannot be used with restart policy '${policyName}'`);
  }
  if (autoRemove && policyName !== 'no') {
    throw errors.invalidArgument('invalid-restart-policy', `${field}: can't create 'AutoRemove' container with restart policy '${policyName}'`);
  }
  return { name: policyName as RestartPolicyName, maximumRetryCount };
}

/** `--restart on-failure:3` → policy. Throws invalid-argument naming `flag`. */
export function parseRestartFlag(text: string, autoRemove: boolean, flag = '--restart'): RestartPolicy {
  const [name = '', count, extra] = text.split(':');
  if (extra !== undefined || (count !== undefined && !/^\d+$/.test(count))) {
    throw errors.invalidArgument('invalid-restart-policy', `${flag} ${text}: want no, on-failure[:max-retries], always or unless-stopped`);
  }
  return checkRestartPolicy(name, count === undefined ? 0 : Number(count), autoRemove, flag);
}

/** `on-failure:3`, `always`, … */
export function formatRestartPolicy(policy: RestartPolicy): string {
  return policy.name === 'on-failure' && policy.maximumRetryCount > 0 ? `on-failure:${policy.maximumRetryCount}` : policy.name;
}

export interface ExitFacts {
  exitCode: number;
  /** Stopped or killed by a user since its last start. */
  manuallyStopped: boolean;
  /** Restarts by the policy since the last manual start. */
  restartCount: number;
}

/** Whether the policy restarts a container that just exited. */
export function restartsAfterExit(policy: RestartPolicy, facts: ExitFacts): boolean {
  if (facts.manuallyStopped) return false;
  switch (policy.name) {
    case 'always':
    case 'unless-stopped':
      return true;
    case 'on-failure':
      return facts.exitCode !== 0 && (policy.maximumRetryCount === 0 || facts.restartCount < policy.maximumRetryCount);
    case 'no':
      return false;
  }
}

/** Whether berthd starts a stopped container (one that ran before) when it starts. */
export function startsAtBoot(policy: RestartPolicy, facts: ExitFacts): boolean {
  if (policy.name === 'always') return true;
  return restartsAfterExit(policy, facts);
}

/** Docker's backoff: 100 ms, doubling, at most a minute; back to the start after a run of 10 s or more. */
export const RESTART_BACKOFF = { initialMs: 100, factor: 2, maxMs: 60_000, resetAfterRunMs: 10_000 } as const;

/** The wait before the next restart, given the previous wait (none yet: undefined) and how long the run lasted. */
export function nextBackoffMs(previousMs: number | undefined, ranMs: number): number {
  if (previousMs === undefined || ranMs >= RESTART_BACKOFF.resetAfterRunMs) return RESTART_BACKOFF.initialMs;
  return Math.min(previousMs * RESTART_BACKOFF.factor, RESTART_BACKOFF.maxMs);
}
