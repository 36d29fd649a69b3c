/** Graceful stop of a conmon-supervised container: TERM, wait, KILL, wait (HOST-NOTES, conmon). */
import { deadline } from '../base/deadline.js';
import { isBerthError } from '../base/errors.js';
import { readExitCode, waitForExit } from './exit-file.js';
import type { RuncCli } from './runc.js';

export interface StopContainerOptions {
  runc: RuncCli;
  id: string;
  exitDir: string;
  /** How long PID 1 gets after the stop signal before SIGKILL. 0 kills at once. */
  timeoutMs: number;
  /** The polite signal (default TERM). */
  stopSignal?: string;
  /** Bounds the whole stop, including the wait after SIGKILL. */
  signal?: AbortSignal;
}

/** How a stop ended. */
export interface StopResult {
  exitCode: number;
  /** True when the stop signal was not enough and SIGKILL was sent. */
  killed: boolean;
}

/** Sends a signal; a container that is already gone or stopped is not an error here. */
async function signalQuietly(runc: RuncCli, id: string, sig: string, all = false): Promise<void> {
  try {
    await runc.kill(id, sig, { all });
  } catch (err) {
    if (isBerthError(err, 'failed-precondition') || isBerthError(err, 'not-found')) return;
    throw err;
  }
}

/**
 * Stops the container and resolves with its exit code from conmon's exit file. A shell or httpd as
 * PID 1 ignores SIGTERM, so after `timeoutMs` it sends SIGKILL (exit code 137). Works on a
 * container that already exited (returns its code). A paused container is resumed after the
 * signal is queued, so it can die. Throws canceled (`exit-wait-aborted`) when `signal` aborts;
 * errors of runc as RuncCli. Concurrent stops of one container are harmless.
 */
export async function stopContainer(options: StopContainerOptions): Promise<StopResult> {
  const { runc, id, exitDir } = options;
  if (options.timeoutMs > 0) {
    await signalQuietly(runc, id, options.stopSignal ?? 'TERM');
    await resumeIfPaused(runc, id);
    const graceful = deadline(options.timeoutMs, options.signal);
    try {
      return { exitCode: await waitForExit(exitDir, id, graceful.signal), killed: false };
    } catch (err) {
      if (!isBerthError(err, 'canceled') || options.signal?.aborted === true) throw err;
    } finally {
      graceful.clear();
    }
  }
  await signalQuietly(runc, id, 'KILL');
  await resumeIfPaused(runc, id);
  // SIGKILL cannot be ignored, but a signal sent while the container was still starting can miss
  // its target: until the exit file appears, send it again, to every process of the container.
  for (;;) {
    const wait = deadline(KILL_RETRY_MS, options.signal);
    try {
      return { exitCode: await waitForExit(exitDir, id, wait.signal), killed: true };
    } catch (err) {
      if (!isBerthError(err, 'canceled') || options.signal?.aborted === true) throw err;
    } finally {
      wait.clear();
    }
    // A container the runtime no longer knows (or knows stopped) has nothing left to kill; an exit
    // file not there KILL_RETRY_MS later will not come (its monitor is gone): waiting would never end.
    if (await runtimeForgot(runc, id)) return { exitCode: (await readExitCode(exitDir, id)) ?? 137, killed: true };
    await signalQuietly(runc, id, 'KILL', true);
  }
}

/** Whether the runtime has no live process for the container any more (gone, or stopped). */
async function runtimeForgot(runc: RuncCli, id: string): Promise<boolean> {
  try {
    return (await runc.state(id)).status === 'stopped';
  } catch (err) {
    if (isBerthError(err, 'not-found')) return true;
    throw err;
  }
}

/** How long to wait for the exit file after SIGKILL before sending it again. */
const KILL_RETRY_MS = 5000;

async function resumeIfPaused(runc: RuncCli, id: string): Promise<void> {
  try {
    if ((await runc.state(id)).status === 'paused') await runc.resume(id);
  } catch (err) {
    if (isBerthError(err, 'not-found') || isBerthError(err, 'failed-precondition')) return;
    throw err;
  }
}
