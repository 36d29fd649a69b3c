/**
 * The leader's control plane: the node, orchestration, scheduling and cleanup controllers
 * (control-pass.ts) run as passes, triggered by the store's and the heartbeats' changes and by
 * restart delays running out, one pass at a time, bursts coalesced (pass-trigger.ts).
 *
 * After a pass: a conflict (someone else wrote first) reads again and retries at once (after
 * `MAX_QUICK_RETRIES` in a row, with backoff); any other failure (unavailable, …) backs off and
 * retries; `leadership-lost` or the signal's abort ends the loop. It never rejects for store
 * errors.
 */
import type { Clock, Timers } from '../../base/clock.js';
import { isBerthError, messageOf } from '../../base/errors.js';
import type { Random } from '../scheduler/index.js';
import type { ClusterStore, LeaderFence } from '../store/cluster-store.js';
import type { Heartbeats } from '../store/heartbeats.js';
import { aborted as stopped, Backoff, sleep } from '../../base/retry-backoff.js';
import { CONTROL_BACKOFF } from './backoff.js';
import { followHeartbeats, followStore } from './change-feeds.js';
import { runPass, type PassContext } from './control-pass.js';
import { PassTrigger } from './pass-trigger.js';
import { Wakeups } from './wakeups.js';

export interface ControlPlaneOptions {
  readonly store: ClusterStore;
  readonly heartbeats: Heartbeats;
  /** Every commit passes `{ fence }`: a deposed leader writes nothing. */
  readonly fence: LeaderFence;
  /** Aborts when leadership ends: the loop stops at once. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  /** Ids of new tasks (25 lowercase base36 characters in production). */
  readonly newId: () => string;
  readonly log?: (message: string) => void;
  /**
   * Called each time the loop caught up: a pass succeeded and no other is wanted. `revision` is
   * the store revision that pass read at (tests wait for it to reach the store's).
   */
  readonly onIdle?: (revision: number) => void;
  /** Each task assignment that landed: the time from the task's creation to then, in seconds (the cluster's metrics). */
  readonly onTaskScheduled?: (seconds: number) => void;
}

/** Conflicts in a row retried at once before backing off. */
export const MAX_QUICK_RETRIES = 3;

/** Runs the leader's controllers until options.signal aborts; resolves then. Never rejects for store errors: it retries with backoff. */
export async function runControlPlane(options: ControlPlaneOptions): Promise<void> {
  const log = options.log ?? ((): void => undefined);
  const stop = new AbortController();
  const abort = (): void => { stop.abort(); };
  if (options.signal.aborted) return;
  options.signal.addEventListener('abort', abort, { once: true });
  const trigger = new PassTrigger();
  const wakeups = new Wakeups(options.timers, () => { trigger.request(); });
  const feed = { timers: options.timers, signal: stop.signal, request: () => { trigger.request(); }, log };
  const feeds = [followHeartbeats(options.heartbeats, feed), followStore(options.store, feed)];
  try {
    await runPasses({ ...options, signal: stop.signal, log }, trigger, wakeups);
  } finally {
    options.signal.removeEventListener('abort', abort);
    stop.abort();
    wakeups.cancelAll();
    await Promise.allSettled(feeds);
  }
}

async function runPasses(context: PassContext & Pick<ControlPlaneOptions, 'timers' | 'onIdle'>, trigger: PassTrigger, wakeups: Wakeups): Promise<void> {
  const { signal, log } = context;
  let conflicts = 0;
  let failures = 0;
  const conflictBackoff = new Backoff(CONTROL_BACKOFF);
  const failureBackoff = new Backoff(CONTROL_BACKOFF);
  for (;;) {
    await trigger.next(signal);
    if (stopped(signal)) return;
    try {
      const result = await runPass(context);
      conflicts = 0;
      failures = 0;
      conflictBackoff.reset();
      failureBackoff.reset();
      wakeups.arm(result.wakeups);
      if (!trigger.requested) context.onIdle?.(result.revision);
      continue;
    } catch (err) {
      if (stopped(signal) || isBerthError(err, 'canceled')) return;
      if (isBerthError(err, 'failed-precondition') && err.reason === 'leadership-lost') {
        log(`control plane stops: ${messageOf(err)}`);
        return;
      }
      if (isBerthError(err, 'conflict')) {
        conflicts += 1;
        if (conflicts > MAX_QUICK_RETRIES) await sleep(context.timers, conflictBackoff.next(), signal);
      } else {
        failures += 1;
        log(`control pass failed (retry ${failures}): ${messageOf(err)}`);
        await sleep(context.timers, failureBackoff.next(), signal);
      }
      trigger.request();
    }
  }
}
