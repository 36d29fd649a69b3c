/**
 * The one place berth starts conmon. conmon needs extra file descriptors, which the process
 * runner does not offer, so this module uses node:child_process directly:
 *
 *   fd 3 = sync pipe (`_OCI_SYNCPIPE=3`): conmon writes JSON lines `{"data": <n>, "message"?: ...}`
 *          — the container (or exec) pid first, negative on failure; for an exec, later its exit code.
 *          conmon keeps it open: read lines, never wait for EOF while the container runs.
 *   fd 4 = start pipe (`_OCI_STARTPIPE=4`): conmon waits for one byte before it runs the runtime.
 *   fd 5 = attach pipe (`_OCI_ATTACHPIPE=5`, exec with `--exec-attach` only): conmon writes
 *          `{"data": 0}` once the exec's attach socket listens, then its runtime child waits for a
 *          second byte (or EOF) on the start pipe before it runs `runc exec`.
 *
 * conmon daemonizes (its first process exits at once), so the child is detached and unref'd:
 * the container outlives this Node process. stderr is kept only to explain failures.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BerthError, errnoCode, errors } from '../base/errors.js';
import { componentLogger, warnUnlessErrno } from '../base/logger.js';

const log = componentLogger('runtime');

/** One line from conmon's sync (or attach) pipe. */
export interface SyncMessage {
  data: number;
  message?: string;
}

/**
 * A started conmon. `nextMessage` resolves with the next sync-pipe line, in order; it throws
 * internal (`conmon-failed`, with conmon's stderr) when the pipe closes first, canceled when the
 * signal aborts. Call `release` once done reading (always, also after errors): it closes this
 * process's pipe ends and lets Node exit without waiting for conmon. Not safe for concurrent
 * `nextMessage` calls.
 *
 * With `execAttach`: `attachReady` resolves once conmon reports (attach pipe) that the attach
 * socket listens, with the same errors as nextMessage; `proceed` then lets conmon run the runtime
 * (idempotent; `release` also lets it proceed, as the start pipe reaches EOF). Without
 * `execAttach`, `attachReady` resolves at once and `proceed` does nothing. `daemonized` resolves
 * once the first conmon process has exited, i.e. after it wrote the `-P` pid file (never rejects).
 */
export interface ConmonHandle {
  nextMessage(signal?: AbortSignal): Promise<SyncMessage>;
  attachReady(signal?: AbortSignal): Promise<void>;
  readonly daemonized: Promise<void>;
  proceed(): void;
  release(): void;
}

/** Options of startConmon. */
export interface StartConmonOptions {
  /** Pass the attach pipe (conmon's `--exec-attach` must be among the args). */
  execAttach?: boolean;
}

/** Parses one sync line; a garbled line is conmon's fault: internal (`conmon-protocol`). */
function parseSyncLine(line: string): SyncMessage {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw errors.internal('conmon-protocol', `conmon sync pipe: not JSON: ${line}`, { cause });
  }
  if (typeof value !== 'object' || value === null || !('data' in value) || typeof value.data !== 'number') {
    throw errors.internal('conmon-protocol', `conmon sync pipe: no numeric "data": ${line}`);
  }
  const message = 'message' in value && typeof value.message === 'string' ? value.message : undefined;
  return message === undefined ? { data: value.data } : { data: value.data, message };
}

/** Lines of one pipe from conmon; `next` waits for the next non-empty one. */
class PipeLines {
  readonly #lines: string[] = [];
  #buffered = '';
  #ended = false;
  #wake: (() => void) | undefined;

  constructor(stream: Readable | null | undefined, private readonly failure: () => Error | undefined,
    private readonly describeExit: () => Promise<string>) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#buffered += chunk;
      for (let nl = this.#buffered.indexOf('\n'); nl >= 0; nl = this.#buffered.indexOf('\n')) {
        this.#lines.push(this.#buffered.slice(0, nl));
        this.#buffered = this.#buffered.slice(nl + 1);
      }
      this.notify();
    });
    // A pipe error ends the stream ('close' follows): `next` then reports conmon's exit, which says more.
    stream?.on('error', (err) => { log.debug('reading a conmon pipe failed', { err }); }).on('close', () => {
      this.#ended = true;
      this.notify();
    });
    if (stream === null || stream === undefined) this.#ended = true;
  }

  notify(): void {
    const w = this.#wake;
    this.#wake = undefined;
    w?.();
  }

  async next(what: string, signal?: AbortSignal): Promise<SyncMessage> {
    for (;;) {
      const line = this.#lines.shift();
      if (line !== undefined) {
        if (line.trim() === '') continue;
        return parseSyncLine(line);
      }
      const failure = this.failure();
      if (failure !== undefined) throw failure;
      if (this.#ended) throw errors.internal('conmon-failed', `conmon closed its ${what} pipe: ${await this.describeExit()}`);
      if (signal?.aborted === true) throw new BerthError('canceled', 'conmon-wait-canceled', 'waiting for conmon: canceled');
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        signal?.addEventListener('abort', () => { this.notify(); }, { once: true });
      });
    }
  }
}

/**
 * Starts conmon with `args` in `cwd` (conmon drops a stray `oom` file in its cwd: use a
 * per-container directory) and writes the start byte. Throws not-found (`conmon-not-found`) when
 * the binary is missing (from nextMessage / attachReady).
 */
export function startConmon(conmonPath: string, args: readonly string[], cwd: string, options: StartConmonOptions = {}): ConmonHandle {
  const execAttach = options.execAttach === true;
  const child = spawn(conmonPath, args, {
    cwd,
    env: { ...process.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4', ...(execAttach ? { _OCI_ATTACHPIPE: '5' } : {}) },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe', ...(execAttach ? ['pipe' as const] : [])],
    detached: true,
  });
  const fds: readonly (Readable | Writable | null | undefined)[] = child.stdio;
  const stderr = child.stdio[2];
  const start = fds[4] as Writable | null | undefined;
  let stderrText = '';
  let failure: Error | undefined;

  const describeExit = async (): Promise<string> => {
    // The first conmon process has exited or is exiting; its stderr ends with it.
    if (stderr !== null && !stderr.readableEnded && !stderr.destroyed) {
      await new Promise<void>((resolve) => stderr.once('close', resolve));
    }
    return stderrText.trim() || `exit code ${child.exitCode ?? '?'}`;
  };
  const sync = new PipeLines(fds[3] as Readable | null | undefined, () => failure, describeExit);
  const attach = execAttach ? new PipeLines(fds[5] as Readable | null | undefined, () => failure, describeExit) : undefined;

  const daemonized = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => { resolve(); });
    child.once('error', () => { resolve(); });
  });
  child.on('error', (cause) => {
    failure = errnoCode(cause) === 'ENOENT'
      ? errors.notFound('conmon-not-found', `${conmonPath}: not installed (run scripts/install.sh)`, { cause })
      : errors.internal('conmon-failed', `${conmonPath}: ${cause.message}`, { cause });
    sync.notify();
    attach?.notify();
  });
  stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderrText.length < 16384) stderrText += chunk;
  });
  // Either pipe fails when conmon dies early (EPIPE on the start pipe); the sync pipe then reports
  // its exit, with the stderr read so far.
  stderr?.on('error', (err) => { log.debug('reading the stderr of conmon failed', { err }); });
  start?.on('error', warnUnlessErrno(['EPIPE', 'ECONNRESET'], log, 'writing the start byte to conmon'));
  if (execAttach) start?.write(Buffer.from([0]));
  else start?.end(Buffer.from([0]));

  return {
    daemonized,
    nextMessage: (signal) => sync.next('sync', signal),
    async attachReady(signal?: AbortSignal): Promise<void> {
      if (attach === undefined) return;
      const { data, message } = await attach.next('attach', signal);
      if (data < 0) throw errors.internal('conmon-failed', `conmon attach setup failed: ${message ?? String(data)}`);
    },
    proceed(): void {
      if (execAttach && start !== null && start !== undefined && !start.writableEnded) start.end(Buffer.from([0]));
    },
    release(): void {
      for (const stream of fds) stream?.destroy();
      child.unref();
    },
  };
}
