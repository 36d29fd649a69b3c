import type { Timers } from '../../base/clock.js';

export interface RescanLoopOptions {
  timers: Timers;
  /** How often to look for work (a changed database, newly used images); > 0. */
  checkIntervalMs: number;
  /** How often every image in use is rescanned whatever changed; 0 never. */
  rescanIntervalMs: number;
  /** One rescan: `full` rescans every image in use, otherwise only those not matched against the current database. */
  pass: (full: boolean) => Promise<void>;
  /** Hears of a pass that failed; the loop goes on. */
  onError: (err: unknown) => void;
}

/**
 * When rescans run. A check runs at start and every `checkIntervalMs`, a full rescan every
 * `rescanIntervalMs`, and `checkNow` asks for a check at once (after an import through the API).
 * At most one pass runs at a time: requests made meanwhile are merged into one more pass, which is
 * full if any of them was. Timers are injected, so tests drive time.
 */
export class RescanLoop {
  private running: Promise<void> | undefined;
  private pending: { full: boolean } | undefined;
  private readonly cancels: (() => void)[] = [];
  private closed = false;

  constructor(private readonly options: RescanLoopOptions) {}

  /** Checks at once, then arms the timers. Call once. */
  start(): void {
    this.request(false);
    this.every(this.options.checkIntervalMs, false);
    if (this.options.rescanIntervalMs > 0) this.every(this.options.rescanIntervalMs, true);
  }

  /** A check as soon as the current pass (if any) ends. */
  checkNow(): void {
    this.request(false);
  }

  /** Stops the timers and waits for the pass that runs (none starts after). */
  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of this.cancels.splice(0)) cancel();
    this.pending = undefined;
    await this.running;
  }

  private every(ms: number, full: boolean): void {
    const slot = this.cancels.length;
    const arm = (): void => {
      this.cancels[slot] = this.options.timers.after(ms, () => {
        if (this.closed) return;
        this.request(full);
        arm();
      });
    };
    arm();
  }

  private request(full: boolean): void {
    if (this.closed) return;
    this.pending = { full: full || (this.pending?.full ?? false) };
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const { full } = this.pending;
        this.pending = undefined;
        try {
          await this.options.pass(full);
        } catch (err) {
          this.options.onError(err);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
