/**
 * Waiting between retries on injected timers: `Backoff` doubles its delay from `initialMs` up to
 * `maxMs` and starts over after `reset`; `sleep` resolves after a delay or at once when the signal
 * aborts (it never rejects, so loops just check the signal after it); `unlessAborted` stops waiting
 * for a call that takes no signal; `aborted` reads a signal through a call (TypeScript narrows a
 * property read in a loop's condition, though an await in between may change it).
 */
import type { Timers } from './clock.js';

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export class Backoff {
  #next: number;

  constructor(private readonly options: BackoffOptions) {
    this.#next = options.initialMs;
  }

  /** The delay before the next retry; each call doubles the one after (up to the maximum). */
  next(): number {
    const delay = this.#next;
    this.#next = Math.min(this.options.maxMs, delay * 2);
    return delay;
  }

  /** After a success: the next failure waits the initial delay again. */
  reset(): void {
    this.#next = this.options.initialMs;
  }
}

/** Resolves after `ms` on `timers`, or as soon as `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      cancel();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const cancel = timers.after(ms, done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** `promise`'s value, or undefined as soon as `signal` aborts (a rejection still rejects). */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) {
    // The caller stopped waiting before it began: the outcome is nobody's any more (and an
    // unobserved rejection would be "unhandled").
    promise.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => { resolve(undefined); };
    signal.addEventListener('abort', onAbort, { once: true });
    // After an abort, a later rejection settles nothing: the caller asked not to wait for it.
    promise.then(resolve, reject).finally(() => { signal.removeEventListener('abort', onAbort); });
  });
}

/** Whether the signal aborted. */
export function aborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
