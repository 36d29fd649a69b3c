/**
 * The agent's outbox of task statuses. The latest status per task wins (a queue of one entry per
 * task), and a status is taken only if it moves its task forward: a later state than any taken
 * before, and none after an end. Sends run one at a time; a failed send keeps its reports (unless
 * newer ones replaced them) and retries with backoff until the agent stops.
 */
import type { Timers } from '../../base/clock.js';
import { messageOf } from '../../base/errors.js';
import { isTerminalTaskState, taskStateRank, type TaskState, type TaskStatus } from '../objects/task.js';
import type { ManagerLink } from './agent-ports.js';
import { Backoff } from '../../base/retry-backoff.js';
import { AGENT_BACKOFF } from './agent-backoff.js';

export interface StatusReporterOptions {
  readonly link: Pick<ManagerLink, 'report'>;
  readonly timers: Timers;
  /** Stops the retries (what is queued then is dropped with the agent). */
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
}

/** Methods are synchronous or serialise themselves; safe to call from concurrent task steps. */
export class StatusReporter {
  readonly #queue = new Map<string, TaskStatus>();
  /** The latest state taken per task (queued or sent). */
  readonly #taken = new Map<string, TaskState>();
  readonly #backoff = new Backoff(AGENT_BACKOFF);
  #sending: Promise<boolean> | undefined;
  #cancelRetry: (() => void) | undefined;

  constructor(private readonly options: StatusReporterOptions) {
    options.signal.addEventListener('abort', () => { this.#cancelRetry?.(); }, { once: true });
  }

  /** The latest state taken for the task, if any. */
  lastState(taskId: string): TaskState | undefined {
    return this.#taken.get(taskId);
  }

  /** Queues `status` for sending if it moves the task forward (see above); returns whether it did. */
  offer(taskId: string, status: TaskStatus): boolean {
    const last = this.#taken.get(taskId);
    if (last !== undefined && (isTerminalTaskState(last) || taskStateRank(status.state) <= taskStateRank(last))) return false;
    this.#taken.set(taskId, status.state);
    this.#queue.set(taskId, status);
    this.#kick();
    return true;
  }

  /**
   * Sends what is queued now (after the send under way, if any). Resolves true once it was
   * delivered, false when the link failed (the reports stay queued and a retry is armed) or the
   * agent stopped.
   */
  async flush(): Promise<boolean> {
    await this.#sending;
    if (this.#queue.size === 0) return true;
    this.#cancelRetry?.();
    this.#cancelRetry = undefined;
    this.#kick();
    return (await this.#sending) ?? false;
  }

  /** Forgets the tasks not in `keep` that have nothing queued (tasks gone from this node). */
  forgetExcept(keep: ReadonlySet<string>): void {
    for (const taskId of this.#taken.keys()) if (!keep.has(taskId) && !this.#queue.has(taskId)) this.#taken.delete(taskId);
  }

  #kick(): void {
    if (this.#sending !== undefined || this.#cancelRetry !== undefined || this.options.signal.aborted) return;
    // A microtask later, so that the statuses offered in the same turn go in one call.
    this.#sending = Promise.resolve().then(() => this.#send()).then((delivered) => {
      this.#sending = undefined;
      if (delivered) {
        this.#backoff.reset();
        if (this.#queue.size > 0) this.#kick();
      } else if (!this.options.signal.aborted) {
        this.#cancelRetry = this.options.timers.after(this.#backoff.next(), () => {
          this.#cancelRetry = undefined;
          this.#kick();
        });
      }
      return delivered;
    });
  }

  async #send(): Promise<boolean> {
    const batch = [...this.#queue.entries()];
    if (batch.length === 0) return true;
    try {
      await this.options.link.report(batch.map(([taskId, status]) => ({ taskId, status })));
    } catch (err) {
      this.options.log(`agent: reporting ${batch.length} task status(es) failed (kept for a retry): ${messageOf(err)}`);
      return false;
    }
    for (const [taskId, status] of batch) if (this.#queue.get(taskId) === status) this.#queue.delete(taskId);
    return true;
  }
}
