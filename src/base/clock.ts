/** Time source, injected so tests can control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * Delayed calls, injected next to the clock (restart backoff, health probes): `after` calls `fn`
 * once after `ms` and returns the function that cancels it. System timers do not keep the
 * process alive.
 */
export interface Timers {
  after(ms: number, fn: () => void): () => void;
}

export const systemTimers: Timers = {
  after: (ms, fn) => {
    const timer = setTimeout(fn, Math.min(Math.max(0, ms), 2 ** 31 - 1));
    timer.unref();
    return () => { clearTimeout(timer); };
  },
};
