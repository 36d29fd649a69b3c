/**
 * A client of conmon's attach socket (`<bundleDir>/attach`, or `<execDir>/attach` for an exec).
 * The socket is SOCK_SEQPACKET, which node:net cannot connect to, so this uses node-unix-socket.
 *
 * Protocol (conmon 2.1, conn_sock.c / ctr_stdio.c): every packet from conmon is one read of the
 * container's stdout or stderr (at most 8192 bytes) behind one byte naming the stream (2 = stdout,
 * 3 = stderr; a terminal's output is all stdout). Packets sent to conmon are stdin, read with a
 * 32768-byte buffer (longer packets are cut: writeStdin splits). An empty packet or a half-close
 * ends this client's stdin; conmon then closes the container's stdin unless it was started with
 * `--leave-stdin-open`. conmon forwards output only to clients connected when it reads it, and
 * closes every connection after the container's last output, just before it writes the exit file.
 * conmon writes to clients blocking: a client that stops reading stalls the container's output,
 * so this module always reads and queues packets in memory until the consumer takes them.
 */
import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SeqpacketSocket } from 'node-unix-socket';
import { BerthError, errnoCode, errors } from '../base/errors.js';
import { AttachOutputQueue, type AttachOutput } from './attach-output-queue.js';

export type { AttachOutput, AttachStream } from './attach-output-queue.js';

/** conmon's read size for stdin packets (CONN_SOCK_BUF_SIZE); writeStdin never sends more at once. */
export const ATTACH_STDIN_PACKET_MAX = 32768;

/** `sun_path` holds 108 bytes with the terminating NUL. */
const SUN_PATH_MAX = 107;

/** Why an attach connection ended: conmon closed it (the process exited), close()/abort, or a socket error. */
export type AttachEnd = 'remote' | 'local' | 'error';

/** The attach socket of a container (its bundle dir) or of an exec (its exec dir). */
export function attachSocketPath(dir: string): string {
  return join(dir, 'attach');
}

/**
 * One attach session. Iterate it (once: a second iterator throws failed-precondition
 * `attach-output-taken`) for the output packets in order; iteration ends when conmon closes the
 * connection or after close(), and throws unavailable (`attach-broken`) after a socket error. A
 * consumer that stops iterating early makes later packets be dropped. Packets that arrive before
 * iteration starts are kept, without bound: start iterating at once.
 *
 * `writeStdin` sends bytes (in packets of at most ATTACH_STDIN_PACKET_MAX; an empty chunk sends
 * nothing) and resolves once the kernel took them: awaiting it is the backpressure (conmon stops
 * reading while the container's stdin pipe is full). Concurrent calls are sent in call order. It
 * rejects with failed-precondition (`attach-stdin-closed`) after closeStdin, failed-precondition
 * (`attach-closed`) once conmon closed the connection, canceled (`attach-detached`) after close(),
 * unavailable (`attach-broken`) after a socket error.
 *
 * `closeStdin` half-closes after the queued writes (idempotent; output keeps coming). `close`
 * detaches at once (idempotent; the container keeps running). `closed` resolves (never rejects)
 * once the connection is gone, with the reason. Output, writes and close may run concurrently.
 */
export interface AttachConnection extends AsyncIterable<AttachOutput> {
  writeStdin(chunk: Uint8Array | string): Promise<void>;
  closeStdin(): Promise<void>;
  close(): void;
  readonly closed: Promise<AttachEnd>;
}

class SeqpacketAttach implements AttachConnection {
  readonly closed: Promise<AttachEnd>;
  readonly #socket = new SeqpacketSocket();
  readonly #output = new AttachOutputQueue();
  readonly #pending = new Set<(err: Error) => void>();
  #writeChain: Promise<void> = Promise.resolve();
  #stdinClosed = false;
  #ended: BerthError | undefined;
  #resolveClosed: (end: AttachEnd) => void = () => undefined;
  #connecting: ((err: unknown) => void) | undefined;
  #detachOnAbort: (() => void) | undefined;
  #signal: AbortSignal | undefined;

  constructor(private readonly path: string) {
    this.closed = new Promise<AttachEnd>((resolve) => { this.#resolveClosed = resolve; });
    this.#socket.on('data', (packet: Buffer) => { this.#output.push(packet); });
    this.#socket.on('end', () => {
      this.#finish('remote', errors.failedPrecondition('attach-closed', `${path}: conmon closed the attach connection (the process exited)`));
    });
    this.#socket.on('error', (cause: unknown) => {
      if (this.#connecting !== undefined) {
        this.#connecting(cause);
        return;
      }
      const err = errors.unavailable('attach-broken', `${path}: attach connection failed`, { cause });
      this.#finish('error', err, err);
    });
  }

  async connect(target: string, signal?: AbortSignal): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#connecting = (cause) => {
        this.#connecting = undefined;
        this.#finish('error', errors.failedPrecondition('attach-closed', `${this.path}: not connected`));
        reject(cause instanceof BerthError ? cause
          : errors.failedPrecondition('attach-not-listening', `${this.path}: conmon does not accept connections (has the process exited?)`, { cause }));
      };
      const onAbort = (): void => {
        this.#connecting?.(new BerthError('canceled', 'attach-connect-canceled', `${this.path}: connect canceled`, { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        this.#socket.connect(target, () => {
          signal?.removeEventListener('abort', onAbort);
          this.#connecting = undefined;
          resolve();
        });
      } catch (cause) {
        signal?.removeEventListener('abort', onAbort);
        this.#connecting(cause);
      }
    });
    if (signal?.aborted === true) {
      this.close();
      throw new BerthError('canceled', 'attach-connect-canceled', `${this.path}: connect canceled`, { cause: signal.reason });
    }
    if (signal !== undefined) {
      this.#signal = signal;
      this.#detachOnAbort = () => { this.close(); };
      signal.addEventListener('abort', this.#detachOnAbort, { once: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<AttachOutput> {
    return this.#output.iterator();
  }

  writeStdin(chunk: Uint8Array | string): Promise<void> {
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.#stdinClosed) return Promise.reject(errors.failedPrecondition('attach-stdin-closed', `${this.path}: stdin already closed`));
    if (this.#ended !== undefined) return Promise.reject(this.#ended);
    const run = this.#writeChain.then(async () => {
      for (let offset = 0; offset < data.length; offset += ATTACH_STDIN_PACKET_MAX) {
        await this.#send(data, offset, Math.min(ATTACH_STDIN_PACKET_MAX, data.length - offset));
      }
    });
    this.#writeChain = run.catch(() => undefined); // the chain only orders writes: `run` carries the failure to its caller
    return run;
  }

  #send(data: Buffer, offset: number, length: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#ended !== undefined) {
        reject(this.#ended);
        return;
      }
      this.#pending.add(reject);
      try {
        this.#socket.write(data, offset, length, () => {
          this.#pending.delete(reject);
          resolve();
        });
      } catch (cause) {
        this.#pending.delete(reject);
        reject(errors.unavailable('attach-broken', `${this.path}: write failed`, { cause }));
      }
    });
  }

  async closeStdin(): Promise<void> {
    if (this.#stdinClosed) return;
    this.#stdinClosed = true;
    await this.#writeChain;
    if (this.#ended !== undefined) return;
    const flushed = new Promise<void>((resolve) => {
      try {
        this.#socket.end(resolve);
      } catch {
        resolve(); // already destroyed by the library: `closed` settles too
      }
    });
    await Promise.race([flushed, this.closed]);
  }

  close(): void {
    this.#finish('local', new BerthError('canceled', 'attach-detached', `${this.path}: attach connection closed`));
  }

  /** Ends the connection once: pending writes fail with `pendingError`, output ends (with `outputError`). */
  #finish(end: AttachEnd, pendingError: BerthError, outputError?: BerthError): void {
    if (this.#ended !== undefined) return;
    this.#ended = pendingError;
    for (const reject of this.#pending) reject(pendingError);
    this.#pending.clear();
    this.#socket.destroy();
    this.#output.end(outputError);
    if (this.#detachOnAbort !== undefined) this.#signal?.removeEventListener('abort', this.#detachOnAbort);
    this.#resolveClosed(end);
  }
}

/**
 * Connects to an attach socket (`attachSocketPath(dir)`). Paths longer than a unix socket address
 * allows are reached through `/proc/self/fd/<dir fd>/attach` (the fd is closed again). Connect
 * before `runc start` (or before an exec proceeds) to receive all output. `signal` bounds the
 * connect and, once connected, detaches (like close()) when it aborts.
 * Throws not-found (`attach-socket-missing`), failed-precondition (`attach-not-a-socket`, or
 * `attach-not-listening` when conmon is gone: the socket file outlives it), invalid-argument
 * (`attach-path-too-long`: the socket's own name too long), canceled (`attach-connect-canceled`).
 * Any number of clients may attach to one socket at the same time; all get every packet.
 */
export async function connectAttach(path: string, signal?: AbortSignal): Promise<AttachConnection> {
  if (signal?.aborted === true) throw new BerthError('canceled', 'attach-connect-canceled', `${path}: connect canceled`, { cause: signal.reason });
  try {
    if (!(await stat(path)).isSocket()) throw errors.failedPrecondition('attach-not-a-socket', `${path}: not a socket`);
  } catch (cause) {
    const code = errnoCode(cause);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw errors.notFound('attach-socket-missing', `${path}: no attach socket`, { cause });
    throw cause;
  }
  let dir: FileHandle | undefined;
  try {
    let target = path;
    if (Buffer.byteLength(path) > SUN_PATH_MAX) {
      dir = await open(dirname(path), constants.O_RDONLY | constants.O_DIRECTORY);
      target = `/proc/self/fd/${dir.fd}/${basename(path)}`;
      if (Buffer.byteLength(target) > SUN_PATH_MAX) throw errors.invalidArgument('attach-path-too-long', `${path}: socket name too long`);
    }
    const connection = new SeqpacketAttach(path);
    await connection.connect(target, signal);
    return connection;
  } finally {
    await dir?.close();
  }
}
