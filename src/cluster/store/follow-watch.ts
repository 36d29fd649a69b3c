/**
 * Following the store for as long as a signal lasts: `list` reads what the follower needs and
 * returns the revision to watch from; every event then goes to `onEvent`, and the watch resumes
 * after the last event it saw. On `revision-compacted` it lists again (the changes in the
 * compacted gap are only in the new listing); other failures back off and retry. Ends, without
 * an error, when the signal aborts.
 */
import type { Timers } from '../../base/clock.js';
import { errors, isBerthError, messageOf } from '../../base/errors.js';
import { aborted as stopped, Backoff, sleep, type BackoffOptions } from '../../base/retry-backoff.js';
import type { ClusterStore, StoreEvent } from './cluster-store.js';

export interface FollowOptions {
  readonly timers: Timers;
  readonly signal: AbortSignal;
  readonly backoff: BackoffOptions;
  /** Reads what the follower needs; returns the first revision to watch. */
  readonly list: () => Promise<number>;
  readonly onEvent: (event: StoreEvent) => void;
  /** Says what failed (the retry count is added). */
  readonly log: (message: string) => void;
}

export async function followWatch(store: ClusterStore, options: FollowOptions): Promise<void> {
  const { signal, log } = options;
  let from: number | undefined;
  let failures = 0;
  const backoff = new Backoff(options.backoff);
  while (!stopped(signal)) {
    try {
      from ??= await options.list();
      for await (const event of store.watch({ fromRevision: from, signal })) {
        from = event.revision + 1;
        failures = 0;
        backoff.reset();
        options.onEvent(event);
      }
      if (stopped(signal)) return;
      throw errors.unavailable('store-watch-ended', 'the store watch ended');
    } catch (err) {
      if (stopped(signal)) return;
      if (isBerthError(err, 'failed-precondition') && err.reason === 'revision-compacted') {
        from = undefined;
        continue;
      }
      failures += 1;
      log(`store watch failed (retry ${failures}): ${messageOf(err)}`);
      await sleep(options.timers, backoff.next(), signal);
    }
  }
}
