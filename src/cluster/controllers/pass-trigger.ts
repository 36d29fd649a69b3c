/**
 * When the control plane runs a pass: requests (a store change, a heartbeat change, a restart
 * delay that ran out) coalesce. One pass runs at a time; any number of requests made while it
 * runs cause exactly one more.
 */
export class PassTrigger {
  #requested = false;
  #wake: (() => void) | undefined;

  /** Whether a pass is wanted and not yet started. */
  get requested(): boolean {
    return this.#requested;
  }

  request(): void {
    this.#requested = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Resolves once a pass is wanted (taking the request) or the signal aborted. */
  async next(signal: AbortSignal): Promise<void> {
    if (!this.#requested && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
    this.#requested = false;
  }
}
