/**
 * conmon's exit files: when a container's init process exits, conmon writes its exit code as plain
 * text (no newline) to `<exitDir>/<id>` and `<persistDir>/exit`; a kill by the OOM killer also
 * creates `<persistDir>/oom`. Signals show up as 128 + signal (137 for SIGKILL).
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BerthError, errnoCode, errors } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import { pathExists } from '../base/fs-probe.js';

const log = componentLogger('runtime');

/** Safety net only (a watcher missing an event); correctness never depends on it. */
const SAFETY_POLL_MS = 1000;

/**
 * The exit code in `<exitDir>/<id>`, or undefined while the file is absent or not yet complete.
 * Throws data-loss (`exit-file-invalid`) when the file holds something that is not a code.
 */
export async function readExitCode(exitDir: string, id: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(join(exitDir, id), 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw err;
  }
  if (text.trim() === '') return undefined;
  const code = Number(text.trim());
  if (!Number.isInteger(code)) throw errors.dataLoss('exit-file-invalid', `${join(exitDir, id)}: not an exit code: ${JSON.stringify(text)}`);
  return code;
}

/** Whether conmon recorded an OOM kill for the container (`<persistDir>/oom` exists). */
export async function wasOomKilled(persistDir: string): Promise<boolean> {
  return pathExists(join(persistDir, 'oom'), log);
}

/**
 * Resolves with the container's exit code once `<exitDir>/<id>` holds it (at once if it already
 * does). Watches `exitDir` (which must exist) and checks again after arming the watcher, so an exit
 * between the two is not missed. Throws canceled (`exit-wait-aborted`, the signal's reason as
 * cause) when `signal` aborts first — pass `AbortSignal.timeout(ms)` for a deadline.
 * Any number of waiters may wait on the same file concurrently.
 */
export function waitForExit(exitDir: string, id: string, signal?: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let watcher: FSWatcher | undefined;
    let settled = false;
    let checking = false;
    let again = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      watcher?.close();
      clearInterval(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      finish(() => {
        reject(new BerthError('canceled', 'exit-wait-aborted', `waiting for ${id} to exit: aborted`, { cause: signal?.reason }));
      });
    };
    const check = (): void => {
      if (settled) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      readExitCode(exitDir, id).then(
        (code) => {
          checking = false;
          if (code !== undefined) finish(() => { resolve(code); });
          else if (again) {
            again = false;
            check();
          }
        },
        (err: unknown) => {
          checking = false;
          finish(() => { reject(err instanceof Error ? err : new Error(String(err))); });
        },
      );
    };
    const timer = setInterval(check, SAFETY_POLL_MS);
    if (signal?.aborted === true) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      watcher = watch(exitDir, { persistent: true }, () => { check(); });
      // A failing watch only costs latency: the safety poll goes on.
      watcher.on('error', (err) => { log.debug('watching the exit directory failed; polling it', { err, dir: exitDir, id }); });
    } catch (cause) {
      finish(() => {
        reject(errnoCode(cause) === 'ENOENT'
          ? errors.notFound('exit-dir-missing', `${exitDir}: exit dir does not exist`, { cause })
          : errors.internal('exit-watch-failed', `${exitDir}: cannot watch`, { cause }));
      });
      return;
    }
    check();
  });
}
