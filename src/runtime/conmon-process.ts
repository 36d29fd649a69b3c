/**
 * The one place berth starts conmon. conmon needs two extra file descriptors, which the process
 * runner does not offer, so this module uses node:child_process directly:
 *
 *   fd 3 = sync pipe (`_OCI_SYNCPIPE=3`): conmon writes JSON lines `{"data": <n>, "message"?: ...}`
 *          — the container (or exec) pid first, negative on failure; for an exec, later its exit code.
 *          conmon keeps it open: read lines, never wait for EOF while the container runs.
 *   fd 4 = start pipe (`_OCI_STARTPIPE=4`): conmon waits for one byte before it runs the runtime.
 *
 * conmon daemonizes (its first process exits at once), so the child is detached and unref'd:
 * the container outlives this Node process. stderr is kept only to explain failures.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { BerthError, errnoCode, errors } from '../base/errors.js';

/** One line from conmon's sync pipe. */
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
 */
export interface ConmonHandle {
  nextMessage(signal?: AbortSignal): Promise<SyncMessage>;
  release(): void;
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

/**
 * Starts conmon with `args` in `cwd` (conmon drops a stray `oom` file in its cwd: use a
 * per-container directory) and writes the start byte. Throws not-found (`conmon-not-found`) when
 * the binary is missing (from nextMessage).
 */
export function startConmon(conmonPath: string, args: readonly string[], cwd: string): ConmonHandle {
  const child = spawn(conmonPath, args, {
    cwd,
    env: { ...process.env, _OCI_SYNCPIPE: '3', _OCI_STARTPIPE: '4' },
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  const stderr = child.stdio[2];
  const sync = child.stdio[3] as Readable | null;
  const start = child.stdio[4] as Writable | null;
  let stderrText = '';
  let buffered = '';
  const lines: string[] = [];
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };

  child.on('error', (cause) => {
    failure = errnoCode(cause) === 'ENOENT'
      ? errors.notFound('conmon-not-found', `${conmonPath}: not installed (run scripts/install.sh)`, { cause })
      : errors.internal('conmon-failed', `${conmonPath}: ${cause.message}`, { cause });
    notify();
  });
  stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    if (stderrText.length < 16384) stderrText += chunk;
  });
  stderr?.on('error', () => undefined);
  sync?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
    notify();
  });
  sync?.on('error', () => undefined).on('close', () => {
    ended = true;
    notify();
  });
  start?.on('error', () => undefined);
  start?.end(Buffer.from([0]));

  const describeExit = async (): Promise<string> => {
    // The first conmon process has exited or is exiting; its stderr ends with it.
    if (stderr !== null && !stderr.readableEnded && !stderr.destroyed) {
      await new Promise<void>((resolve) => stderr.once('close', resolve));
    }
    return stderrText.trim() || `exit code ${child.exitCode ?? '?'}`;
  };

  return {
    async nextMessage(signal?: AbortSignal): Promise<SyncMessage> {
      for (;;) {
        const line = lines.shift();
        if (line !== undefined) {
          if (line.trim() === '') continue;
          return parseSyncLine(line);
        }
        if (failure !== undefined) throw failure;
        if (ended) throw errors.internal('conmon-failed', `conmon closed its sync pipe: ${await describeExit()}`);
        if (signal?.aborted === true) throw new BerthError('canceled', 'conmon-wait-canceled', 'waiting for conmon: canceled');
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal?.addEventListener('abort', () => { notify(); }, { once: true });
        });
      }
    },
    release(): void {
      sync?.destroy();
      start?.destroy();
      stderr?.destroy();
      child.unref();
    },
  };
}
