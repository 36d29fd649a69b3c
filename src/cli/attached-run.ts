/**
 * The attached half of `run` and `start -a`, as the docker CLI does it: attach (hijacked) and
 * register the wait (next exit, or removal with --rm) before starting, so no output and no exit
 * is missed; start; follow the terminal size with a TTY; proxy signals without one; stream until
 * the output ends; then the container's exit code.
 */
import { BerthError, isBerthError, messageOf } from '../base/errors.js';
import type { BerthClient } from '../client/berth-client.js';
import { EXIT_CODES } from './exit-codes.js';
import { proxySignals } from './signal-proxy.js';
import { streamSession } from './stdio-session.js';
import { followTerminalSize } from './terminal.js';

export interface AttachedRunOptions {
  tty: boolean;
  /** Attach and forward this process's stdin (`-i`, with a container created with OpenStdin). */
  stdin: boolean;
  /** The container removes itself at exit (--rm): wait for the removal. */
  autoRemove: boolean;
  detachKeys?: string;
  /** Forward signals to the container (not with a TTY). */
  sigProxy: boolean;
}

/**
 * After a failed start: prints the error and resolves with Docker's exit code for it — the code the
 * daemon recorded on the container (126 cannot run, 127 not found, 125 otherwise) — and removes an
 * --rm container, as dockerd does. Errors that are not BerthErrors are rethrown.
 */
export async function failedStart(client: BerthClient, id: string, err: unknown, autoRemove: boolean): Promise<number> {
  if (!(err instanceof BerthError)) throw err;
  // A container that cannot be inspected (gone already) recorded no code: the start's error decides.
  const recorded = await client.containers.inspect(id).then((c) => c.State.ExitCode, () => 0);
  let notRemoved: string | undefined;
  if (autoRemove) {
    await client.containers.remove(id, { force: true }).catch((removeErr: unknown) => {
      // not-found: removed already (dockerd removes an --rm container that exits).
      if (!isBerthError(removeErr, 'not-found')) notRemoved = messageOf(removeErr);
    });
  }
  process.stderr.write(`Error: ${err.message}\n`);
  if (notRemoved !== undefined) process.stderr.write(`Error: removing container ${id}: ${notRemoved}\n`);
  return recorded >= 125 && recorded <= 127 ? recorded : err.kind === 'unavailable' ? EXIT_CODES.unavailable : 125;
}

/**
 * Runs the container `id` attached and resolves with the exit code to leave with: the container's,
 * 0 after a detach, 125 when the daemon could not tell or the start failed (failedStart).
 */
export async function runAttached(client: BerthClient, id: string, options: AttachedRunOptions): Promise<number> {
  const { containers } = client;
  const aborter = new AbortController();
  const waiting = containers.wait(id, options.autoRemove ? 'removed' : 'next-exit', aborter.signal);
  // Awaited once the container started; when it did not, the wait is aborted and its end is of no interest.
  waiting.result.catch(() => undefined);
  const stream = await containers.attach(id, { stdin: options.stdin, tty: options.tty, ...(options.detachKeys === undefined ? {} : { detachKeys: options.detachKeys }) })
    .catch((err: unknown) => { aborter.abort(); throw err; });
  try {
    await waiting.registered;
    await containers.start(id);
  } catch (err) {
    stream.close();
    aborter.abort();
    return failedStart(client, id, err, options.autoRemove);
  }
  const stopResizing = options.tty ? followTerminalSize((rows, columns) => containers.resize(id, rows, columns)) : () => undefined;
  const stopProxy = options.sigProxy && !options.tty ? proxySignals((signal) => containers.kill(id, signal)) : () => undefined;
  try {
    const end = await streamSession(stream, { stdin: options.stdin, ...(options.detachKeys === undefined ? {} : { detachKeys: options.detachKeys }) });
    if (end === 'detached') return 0;
    const status = await waiting.result;
    if (status.Error !== undefined && status.Error !== null && status.Error.Message !== '') {
      process.stderr.write(`Error waiting for container: ${status.Error.Message}\n`);
      return 125;
    }
    return status.StatusCode;
  } catch (err) {
    if (isBerthError(err, 'canceled')) return 125;
    throw err;
  } finally {
    aborter.abort();
    stopResizing();
    stopProxy();
  }
}
