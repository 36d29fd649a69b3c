/**
 * Delivery of queued notifications: each receiver gets its notifications in the order they were
 * queued (a firing one is never overtaken by its resolution), one at a time. A failed attempt (no
 * answer, a timeout, a status other than 2xx) is retried with exponential backoff: 1 s, 2 s, 4 s, …
 * up to 5 min, for as long as it takes; a notification leaves the outbox only once delivered.
 */
import type { AlertState, OutboxItem } from './alert-state.js';

/** Posts one JSON body; rejects when the receiver did not take it, or `signal` aborted first. */
export type WebhookPost = (url: string, body: unknown, timeoutMs: number, signal: AbortSignal) => Promise<void>;

export const RETRY_BACKOFF = { initialMs: 1000, maxMs: 5 * 60_000 } as const;

/** The wait after the `attempts`-th failed attempt. */
export function retryDelay(attempts: number): number {
  return Math.min(RETRY_BACKOFF.maxMs, RETRY_BACKOFF.initialMs * 2 ** Math.max(0, attempts - 1));
}

/** The first queued notification of each receiver. */
export function heads(state: AlertState): OutboxItem[] {
  const seen = new Set<string>();
  return state.outbox.filter((item) => {
    if (seen.has(item.receiver)) return false;
    seen.add(item.receiver);
    return true;
  });
}

/** When the next attempt is due, undefined for an empty outbox. */
export function nextAttemptDue(state: AlertState): number | undefined {
  const times = heads(state).map((item) => item.nextAttemptAt);
  return times.length === 0 ? undefined : Math.min(...times);
}

/**
 * Attempts every receiver's first notification that is due, at once; the state is updated as each
 * answer comes (`onResult` after each, to persist). Answers how many were delivered.
 */
export async function deliverDue(state: AlertState, post: WebhookPost, now: () => number, onResult: () => Promise<void>, signal: AbortSignal): Promise<number> {
  let delivered = 0;
  const due = heads(state).filter((item) => item.nextAttemptAt <= now());
  await Promise.all(due.map(async (item) => {
    try {
      await post(item.url, item.body, item.timeoutMs, signal);
      state.outbox = state.outbox.filter((other) => other.id !== item.id);
      delivered++;
    } catch (err) {
      if (signal.aborted) return; // stopping: not a failure of the receiver, the next berthd tries at once
      item.attempts++;
      item.lastError = err instanceof Error ? err.message : String(err);
      item.nextAttemptAt = now() + retryDelay(item.attempts);
    }
    await onResult();
  }));
  return delivered;
}
