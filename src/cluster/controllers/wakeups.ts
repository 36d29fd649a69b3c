/**
 * Timers that ask for a pass later (a restart delay that runs out), at most one per key: a pass
 * that finds the same delay still running does not arm a second timer.
 */
import type { Timers } from '../../base/clock.js';

export class Wakeups {
  readonly #armed = new Map<string, () => void>();

  constructor(private readonly timers: Timers, private readonly wake: () => void) {}

  arm(wakeups: readonly { readonly key: string; readonly ms: number }[]): void {
    for (const { key, ms } of wakeups) {
      if (this.#armed.has(key)) continue;
      this.#armed.set(key, this.timers.after(ms, () => {
        this.#armed.delete(key);
        this.wake();
      }));
    }
  }

  cancelAll(): void {
    for (const cancel of this.#armed.values()) cancel();
    this.#armed.clear();
  }
}
