/**
 * What makes the control plane look again: every change of a node, service or task in the store,
 * and every heartbeat lease that appears or ends. Each feed asks for a pass once it is listening
 * (so the pass that follows reads everything the feed will not report), and on every change.
 *
 * The store feed lists to learn the revision and watches from `revision + 1`
 * (store/follow-watch.ts); on `revision-compacted` it lists again and asks for a pass (changes in
 * the compacted gap are only in the new state). Other failures back off and retry. Both feeds
 * end when the signal aborts.
 */
import type { Timers } from '../../base/clock.js';
import { errors, messageOf } from '../../base/errors.js';
import type { ClusterStore } from '../store/cluster-store.js';
import { followWatch } from '../store/follow-watch.js';
import type { Heartbeats } from '../store/heartbeats.js';
import { aborted as stopped, Backoff, sleep } from '../../base/retry-backoff.js';
import { CONTROL_BACKOFF } from './backoff.js';

export interface FeedContext {
  readonly timers: Timers;
  readonly signal: AbortSignal;
  readonly request: () => void;
  readonly log: (message: string) => void;
}

const WATCHED: ReadonlySet<string> = new Set(['node', 'service', 'task', 'network']);

export function followStore(store: ClusterStore, context: FeedContext): Promise<void> {
  const { request } = context;
  return followWatch(store, {
    timers: context.timers, signal: context.signal, backoff: CONTROL_BACKOFF, log: context.log,
    list: async () => {
      const revision = (await store.list('cluster')).revision;
      request();
      return revision + 1;
    },
    onEvent: (event) => { if (WATCHED.has(event.kind)) request(); },
  });
}

export async function followHeartbeats(heartbeats: Heartbeats, context: FeedContext): Promise<void> {
  const { signal, request, log } = context;
  let failures = 0;
  const backoff = new Backoff(CONTROL_BACKOFF);
  while (!stopped(signal)) {
    try {
      const changes = heartbeats.changes(signal)[Symbol.asyncIterator]();
      request();
      for (let next = await changes.next(); next.done !== true; next = await changes.next()) {
        failures = 0;
        backoff.reset();
        request();
      }
      if (stopped(signal)) return;
      throw errors.unavailable('heartbeat-feed-ended', 'the heartbeat feed ended');
    } catch (err) {
      if (stopped(signal)) return;
      failures += 1;
      log(`heartbeat feed failed (retry ${failures}): ${messageOf(err)}`);
      await sleep(context.timers, backoff.next(), signal);
    }
  }
}
