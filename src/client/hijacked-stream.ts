/**
 * The client's side of an attach or exec-start connection after `101 UPGRADED`: the daemon's
 * output (multiplexed frames, or raw with a TTY) comes in, stdin goes out, a half-close ends
 * stdin, closing the connection detaches (the container keeps running).
 */
import type { Socket } from 'node:net';
import type { HijackedConnection } from './api-transport.js';
import { copyOutput, RAW_STREAM, type OutputSinks } from './stdio-output.js';

/** One session; output, writes and close may run concurrently. */
export class HijackedStream {
  readonly #socket: Socket;
  readonly #head: Buffer;
  #closedByUs = false;

  /**
   * `tty` is what the container (or exec) was created with; the daemon's Content-Type, when it
   * sent one, wins (raw-stream means TTY).
   */
  constructor(connection: HijackedConnection, readonly tty: boolean) {
    this.#socket = connection.socket;
    this.#head = connection.head;
    if (connection.contentType !== undefined) this.tty = connection.contentType === RAW_STREAM;
    this.#socket.on('error', () => undefined); // surfaced through output()
  }

  /**
   * Copies the output to the sinks; resolves when the daemon ends the stream (the process's output
   * is done, or the daemon detached us) or after close(). Call once. Rejects with the socket's
   * error if the connection breaks.
   */
  async output(sinks: OutputSinks): Promise<void> {
    const socket = this.#socket;
    const head = this.#head;
    async function* chunks(): AsyncGenerator<Buffer> {
      if (head.length > 0) yield head;
      for await (const chunk of socket) yield chunk as Buffer;
    }
    try {
      await copyOutput(chunks(), this.tty, sinks);
    } catch (err) {
      if (!this.#closedByUs) throw err;
    }
  }

  /** Sends stdin bytes; resolves when the socket took them (backpressure). No-op once closed. */
  async write(chunk: Buffer): Promise<void> {
    if (this.#socket.destroyed || this.#socket.writableEnded) return;
    if (!this.#socket.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.#socket.off('drain', done);
          this.#socket.off('close', done);
          resolve();
        };
        this.#socket.once('drain', done);
        this.#socket.once('close', done);
      });
    }
  }

  /** Half-closes: the daemon sees the end of stdin; output keeps coming. Idempotent. */
  closeStdin(): void {
    if (!this.#socket.destroyed && !this.#socket.writableEnded) this.#socket.end();
  }

  /** Drops the connection at once (detach). Idempotent; output() then resolves. */
  close(): void {
    this.#closedByUs = true;
    this.#socket.destroy();
  }
}
