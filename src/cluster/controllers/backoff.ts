/**
 * Waiting between retries with the injected timers: 200 ms doubling to 10 s, and a sleep that
 * the stop signal cuts short.
 */
import type { Timers } from '../../base/clock.js';

export const FIRST_BACKOFF_MS = 200;
export const MAX_BACKOFF_MS = 10_000;

/** The wait before retry number `failures` (1, 2, …). */
export function backoffMs(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** Math.max(0, Math.min(failures - 1, 16)));
}

/** Whether the signal aborted (read through a call: an await may have changed it). */
export function stopped(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Resolves after `ms` on the timers, or at once when the signal aborts. */
export function sleep(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (fired: boolean): void => {
      signal.removeEventListener('abort', aborted);
      if (!fired) cancel();
      resolve();
    };
    const aborted = (): void => { done(false); };
    signal.addEventListener('abort', aborted, { once: true });
    const cancel = timers.after(ms, () => { done(true); });
  });
}
