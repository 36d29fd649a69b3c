import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { BerthError, errors } from '../base/errors.js';
import type { Digest } from '../base/digest.js';
import { systemTimers, type Timers } from '../base/clock.js';
import type { MainToWorker, WorkerToMain } from './unpack-messages.js';

/** Bytes sent to a worker and not yet taken: bounds memory, and pauses the feeder. */
const WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * A worker left idle this long ends: each holds a V8 isolate (~13 MiB), which an idle daemon
 * should not keep, and a new one starts in ~40 ms at the next unpack.
 */
export const UNPACK_WORKER_IDLE_MS = 5_000;

export interface UnpackFeedResult {
  size: number;
  /** The diff ID when the worker hashed (compressed input); undefined otherwise. */
  diffId: Digest | undefined;
}

/**
 * One layer being unpacked in a worker: `write` each chunk of the layer blob in order (it waits
 * when the worker falls behind, and throws once the unpack failed), then `finish`.
 */
export class UnpackFeed {
  private inflight = 0;
  private wake: (() => void) | undefined;
  private failure: BerthError | undefined;
  /** Set once the worker answered done: later chunks are not needed and not sent. */
  private settled = false;
  private ended = false;
  private readonly result: Promise<UnpackFeedResult>;

  constructor(
    private readonly worker: Worker,
    private readonly job: number,
    target: string,
    compressed: boolean,
    release: () => void,
  ) {
    let answered = false;
    // The worker goes back to the pool only when both sides are through with this job.
    const releaseWhenDone = (): void => {
      if (answered && this.ended) release();
    };
    this.releaseIfAnswered = releaseWhenDone;
    this.result = new Promise<UnpackFeedResult>((resolve, reject) => {
      const onMessage = (message: WorkerToMain): void => {
        if (message.job !== job) return;
        if (message.type === 'ack') {
          this.inflight -= message.bytes;
          this.wakeUp();
          return;
        }
        cleanup();
        this.settled = true;
        this.wakeUp();
        if (message.type === 'done') resolve({ size: message.size, diffId: message.diffId });
        else this.fail(new BerthError(message.kind, message.reason, message.message), reject);
        releaseWhenDone();
      };
      const onError = (err: Error): void => {
        cleanup();
        this.settled = true;
        this.fail(errors.internal('unpack-worker-failed', `layer unpack worker failed: ${err.message}`, { cause: err }), reject);
      };
      const cleanup = (): void => {
        answered = true;
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
    });
    this.result.catch(() => undefined); // observed through write() and finish()
    this.send({ type: 'start', job, target, compressed });
  }

  private readonly releaseIfAnswered: () => void;

  async write(chunk: Uint8Array): Promise<void> {
    while (this.inflight >= WINDOW_BYTES && !this.settled) {
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    if (this.failure) throw this.failure;
    if (this.settled) return;
    this.inflight += chunk.byteLength;
    this.send({ type: 'chunk', job: this.job, data: chunk });
  }

  /** Ends the input and waits for the unpack's result (also after a failed write: then it rejects). */
  finish(): Promise<UnpackFeedResult> {
    if (!this.ended) {
      this.ended = true;
      this.send({ type: 'end', job: this.job });
      this.releaseIfAnswered();
    }
    return this.result;
  }

  private send(message: MainToWorker): void {
    this.worker.postMessage(message);
  }

  private fail(err: BerthError, reject: (err: BerthError) => void): void {
    this.failure = err;
    this.wakeUp();
    reject(err);
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/**
 * Worker threads that unpack layers (one layer per worker at a time), so unpacking runs on other
 * cores while the main thread hashes and stores blobs. Workers start on first use, end after
 * `idleMs` without a layer, and never keep the process alive; `close` ends them.
 */
export class UnpackPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private readonly waiting: ((worker: Worker) => void)[] = [];
  /** Cancels the timer that would end each idle worker. */
  private readonly idleTimers = new Map<Worker, () => void>();
  private jobs = 0;

  constructor(
    private readonly size = Math.max(1, availableParallelism()),
    private readonly idleMs = UNPACK_WORKER_IDLE_MS,
    private readonly timers: Timers = systemTimers,
  ) {}

  /** Workers running now (busy or idle). */
  get workers(): number {
    return this.all.size;
  }

  /** Starts unpacking into `target` (an existing empty directory); gzip/zstd when `compressed`. */
  async open(target: string, compressed: boolean): Promise<UnpackFeed> {
    const worker = await this.acquire();
    return new UnpackFeed(worker, ++this.jobs, target, compressed, () => {
      this.release(worker);
    });
  }

  async close(): Promise<void> {
    for (const cancel of this.idleTimers.values()) cancel();
    this.idleTimers.clear();
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.terminate()));
  }

  private async acquire(): Promise<Worker> {
    const idle = this.idle.pop();
    if (idle) {
      this.idleTimers.get(idle)?.();
      this.idleTimers.delete(idle);
      return idle;
    }
    if (this.all.size < this.size) {
      const worker = new Worker(new URL('./unpack-worker.js', import.meta.url));
      worker.unref();
      worker.on('exit', () => this.all.delete(worker));
      this.all.add(worker);
      return worker;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    if (!this.all.has(worker)) return;
    const next = this.waiting.shift();
    if (next) {
      next(worker);
      return;
    }
    this.idle.push(worker);
    this.idleTimers.set(worker, this.timers.after(this.idleMs, () => { this.retire(worker); }));
  }

  /** Ends a worker that stayed idle. */
  private retire(worker: Worker): void {
    this.idleTimers.delete(worker);
    const at = this.idle.indexOf(worker);
    if (at < 0) return;
    this.idle.splice(at, 1);
    this.all.delete(worker);
    void worker.terminate();
  }
}
