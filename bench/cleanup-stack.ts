// What a benchmark must undo, last made first undone: run at its end, and on SIGINT/SIGTERM
// before it exits 130, so a stopped run leaves no daemon, container, bridge or directory behind.
import { messageOf } from '../src/base/errors.js';

export class CleanupStack {
  readonly #steps: (() => Promise<void>)[] = [];
  /** Aborted when a signal asks the benchmark to stop; loops check it between rounds. */
  readonly stopping = new AbortController();

  constructor(private readonly log: (line: string) => void) {
    const onSignal = (signal: NodeJS.Signals): void => {
      this.log(`${signal}: cleaning up`);
      this.stopping.abort();
      void this.run().finally(() => process.exit(130));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }

  push(step: () => Promise<void>): void {
    this.#steps.push(step);
  }

  /** Runs every step, newest first; a failing step is logged and the others still run. */
  async run(): Promise<void> {
    for (let step = this.#steps.pop(); step !== undefined; step = this.#steps.pop()) {
      await step().catch((err: unknown) => { this.log(`cleanup: ${messageOf(err)}`); });
    }
  }
}
