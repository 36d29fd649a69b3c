/**
 * Terminal size of a container or exec with a TTY, through conmon's control FIFO: conmon creates
 * `ctl` (and `winsz`) in the bundle dir it was given (`<bundleDir>/ctl` for a container,
 * `<execDir>/ctl` for an exec), keeps both ends open while it runs, and on a line
 * `1 <rows> <cols>\n` sets the pty's window size (TIOCSWINSZ: the process gets SIGWINCH).
 *
 * conmon 2.1 quirk (ctrl.c): when several lines reach it in one read, it applies the first line for
 * each of them, so a burst of resizes can end at an earlier size. Send sizes as they change (not in
 * loops) and send the final size again if it matters. A container without a terminal never reads
 * its `winsz` FIFO: do not resize it (conmon would block once that FIFO fills, after ~9000 calls).
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, errors } from '../base/errors.js';

/** conmon's WIN_RESIZE_EVENT. */
const WIN_RESIZE_EVENT = 1;
const MAX_DIMENSION = 0xffff;

/** The control FIFO of a container (its bundle dir) or of an exec (its exec dir). */
export function terminalControlPath(dir: string): string {
  return join(dir, 'ctl');
}

/**
 * Sets the terminal size of the container or exec whose control FIFO is `controlPath`. Never
 * blocks: the FIFO is opened non-blocking. Throws invalid-argument (`terminal-size-invalid`) for
 * sizes that are not integers in 0..65535, not-found (`terminal-control-missing`) when there is no
 * FIFO, failed-precondition (`terminal-control-closed`) when conmon no longer runs (no reader) or
 * (`terminal-control-invalid`) when the path is not a FIFO, unavailable (`terminal-control-busy`)
 * when conmon has stopped reading it. Safe to call concurrently (each line is one atomic write),
 * with the quirk above.
 */
export async function resizeTerminal(controlPath: string, rows: number, cols: number): Promise<void> {
  for (const [name, value] of [['rows', rows], ['cols', cols]] as const) {
    if (!Number.isInteger(value) || value < 0 || value > MAX_DIMENSION) {
      throw errors.invalidArgument('terminal-size-invalid', `terminal ${name} must be an integer in 0..${MAX_DIMENSION}, got ${value}`);
    }
  }
  let fifo: FileHandle;
  try {
    fifo = await open(controlPath, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (cause) {
    const code = errnoCode(cause);
    if (code === 'ENOENT') throw errors.notFound('terminal-control-missing', `${controlPath}: no terminal control FIFO`, { cause });
    if (code === 'ENXIO') {
      throw errors.failedPrecondition('terminal-control-closed', `${controlPath}: conmon is not running (the process has exited)`, { cause });
    }
    throw errors.internal('terminal-control-failed', `${controlPath}: cannot open`, { cause });
  }
  try {
    if (!(await fifo.stat()).isFIFO()) throw errors.failedPrecondition('terminal-control-invalid', `${controlPath}: not a FIFO`);
    await fifo.write(`${WIN_RESIZE_EVENT} ${rows} ${cols}\n`);
  } catch (cause) {
    if (errnoCode(cause) === 'EAGAIN') throw errors.unavailable('terminal-control-busy', `${controlPath}: conmon is not reading`, { cause });
    if (errnoCode(cause) === 'EPIPE') throw errors.failedPrecondition('terminal-control-closed', `${controlPath}: conmon has exited`, { cause });
    throw cause;
  } finally {
    await fifo.close();
  }
}
