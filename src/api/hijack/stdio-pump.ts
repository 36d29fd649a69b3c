/**
 * Joins a hijacked client connection to a conmon attach connection: output goes to the client as
 * multiplexed frames (raw with a TTY), the client's bytes become stdin (minus detach keys), the
 * client's half-close closes stdin, and the client going away detaches. Resolves when either side
 * is done; the caller then ends the client connection.
 */
import type { Duplex, Writable } from 'node:stream';
import { isBerthError } from '../../base/errors.js';
import { componentLogger, warnOnFailure } from '../../base/logger.js';
import type { AttachConnection } from '../../runtime/attach-socket.js';
import { stdioFrame } from '../../stdio/stdio-frames.js';
import { DetachKeyScanner } from '../../stdio/detach-keys.js';

const log = componentLogger('api');

/**
 * A failed write of the client's bytes to the container's stdin. The attach connection ended
 * (stdin closed, conmon gone, detached: failed-precondition or canceled), which the output side
 * sees too: nothing to do. A broken socket (unavailable) is logged at debug, anything else as a warning.
 */
function stdinWriteFailed(err: unknown): void {
  if (isBerthError(err, 'failed-precondition') || isBerthError(err, 'canceled')) return;
  if (isBerthError(err, 'unavailable')) log.debug('writing a client\'s bytes to a container\'s stdin failed', { err });
  else log.warn('writing a client\'s bytes to a container\'s stdin failed', { err });
}

export interface PumpOptions {
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  detachKeys: Buffer;
}

/** How the pump ended: the container's stdio closed, the client detached, or the client vanished. */
export type PumpEnd = 'output-closed' | 'detached' | 'client-gone';

export async function pumpStdio(connection: AttachConnection, client: Duplex, options: PumpOptions): Promise<PumpEnd> {
  let clientEnd: (end: PumpEnd) => void = () => undefined;
  const clientDone = new Promise<PumpEnd>((resolve) => { clientEnd = resolve; });
  const onClose = (): void => { clientEnd('client-gone'); };
  client.once('close', onClose);
  client.once('error', onClose);
  if (options.stdin) {
    const scanner = new DetachKeyScanner(options.detachKeys);
    client.on('data', (chunk: Buffer) => {
      const { forward, detached } = scanner.push(chunk);
      if (forward.length > 0) connection.writeStdin(forward).catch(stdinWriteFailed);
      if (detached) clientEnd('detached');
    });
    client.once('end', () => { connection.closeStdin().catch(warnOnFailure(log, 'closing a container\'s stdin after the client\'s half-close')); });
  } else {
    client.resume();
  }
  const output = pumpOutput(connection, client, options).then((): PumpEnd => 'output-closed');
  const end = await Promise.race([output, clientDone]);
  client.off('close', onClose);
  if (end !== 'output-closed') connection.close();
  return end;
}

/**
 * Copies the container's output to `out` until it closes: multiplexed frames, or raw with `tty`;
 * the streams not asked for are dropped. Stops early when `out` is destroyed.
 */
export async function pumpOutput(connection: AttachConnection, out: Writable, options: Pick<PumpOptions, 'tty' | 'stdout' | 'stderr'>): Promise<void> {
  for await (const { stream, data } of connection) {
    if ((stream === 'stdout' && !options.stdout) || (stream === 'stderr' && !options.stderr)) continue;
    if (out.destroyed) break;
    if (!out.write(options.tty ? data : stdioFrame(stream, data))) {
      await new Promise((resolve) => { out.once('drain', resolve); out.once('close', resolve); });
    }
  }
}
