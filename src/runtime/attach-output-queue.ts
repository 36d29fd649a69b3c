/**
 * The output side of an attach connection: conmon's packets (one stream byte, then data) turned
 * into typed chunks and handed to one async iterator. node-unix-socket cannot pause reading, so
 * packets queue here until the consumer takes them.
 */
import { errors } from '../base/errors.js';

export type AttachStream = 'stdout' | 'stderr';

/** One read of the container's stdout or stderr, as conmon forwarded it. */
export interface AttachOutput {
  stream: AttachStream;
  data: Buffer;
}

/** conmon's stdpipe_t: 1 would be stdin (never sent), 2 stdout, 3 stderr. */
const STREAM_BYTES: ReadonlyMap<number, AttachStream> = new Map([[2, 'stdout'], [3, 'stderr']]);

/**
 * Queue of output chunks with one consumer. `push` takes a raw packet (unknown stream bytes and
 * empty packets are skipped), `end` ends the output after what is queued (with an error to throw
 * instead of ending normally).
 */
export class AttachOutputQueue {
  readonly #chunks: AttachOutput[] = [];
  #ended = false;
  #error: Error | undefined;
  #taken = false;
  #discard = false;
  #wake: (() => void) | undefined;

  push(packet: Buffer): void {
    const stream = packet.length > 1 ? STREAM_BYTES.get(packet[0] ?? 0) : undefined;
    if (stream === undefined || this.#ended || this.#discard) return;
    this.#chunks.push({ stream, data: packet.subarray(1) });
    this.#notify();
  }

  end(error?: Error): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#notify();
  }

  /** The one iterator; throws failed-precondition (`attach-output-taken`) when asked twice. */
  iterator(): AsyncIterator<AttachOutput> {
    if (this.#taken) throw errors.failedPrecondition('attach-output-taken', 'the output of an attach connection can be iterated once');
    this.#taken = true;
    return {
      next: () => this.#next(),
      return: (): Promise<IteratorResult<AttachOutput>> => {
        this.#discard = true;
        this.#chunks.length = 0;
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }

  async #next(): Promise<IteratorResult<AttachOutput>> {
    for (;;) {
      const chunk = this.#discard ? undefined : this.#chunks.shift();
      if (chunk !== undefined) return { done: false, value: chunk };
      if (this.#ended || this.#discard) {
        const error = this.#error;
        this.#error = undefined;
        if (error !== undefined && !this.#discard) throw error;
        return { done: true, value: undefined };
      }
      await new Promise<void>((resolve) => { this.#wake = resolve; });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
