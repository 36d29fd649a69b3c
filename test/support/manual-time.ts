// A clock and timers that move only when a test says so: `advance(ms)` fires every timer that
// comes due, in order of due time, and lets each one's work run (`settle`) before the next.
import type { Clock, Timers } from '../../src/base/clock.js';

/** Event-loop turns, enough for a chain of awaits to finish (`turns` of them). */
export async function settle(turns = 1): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => { setImmediate(resolve); });
}

export class ManualTime implements Clock, Timers {
  #now: number;
  readonly #timers = new Set<{ due: number; fn: () => void }>();

  /** `settleTurns`: event-loop turns given to the work of each fired timer. */
  constructor(start = Date.parse('2026-01-01T00:00:00.000Z'), private readonly settleTurns = 1) {
    this.#now = start;
  }

  now(): Date {
    return new Date(this.#now);
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { due: this.#now + Math.max(0, ms), fn };
    this.#timers.add(timer);
    return () => { this.#timers.delete(timer); };
  }

  /** How many timers are armed. */
  get armed(): number {
    return this.#timers.size;
  }

  /** Timers not yet fired, as remaining milliseconds. */
  get pending(): number[] {
    return [...this.#timers].map((timer) => timer.due - this.#now).sort((a, b) => a - b);
  }

  /** Moves the clock by `ms`, firing the timers that come due (in order), letting each one's work run. */
  async advance(ms: number): Promise<void> {
    const until = this.#now + ms;
    for (;;) {
      const next = [...this.#timers].filter((timer) => timer.due <= until).sort((a, b) => a.due - b.due)[0];
      if (next === undefined) break;
      this.#timers.delete(next);
      this.#now = next.due;
      next.fn();
      await settle(this.settleTurns);
    }
    this.#now = until;
    await settle(this.settleTurns);
  }
}
