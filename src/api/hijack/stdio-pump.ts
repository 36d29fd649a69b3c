/**
 * Joins a hijacked client connection to a conmon attach connection: output goes to the client as
 * multiplexed frames (raw with a TTY), the client's bytes become stdin (minus detach keys), the
 * client's half-close closes stdin, and the client going away detaches. Resolves when either side
 * is done; the caller then ends the client connection.
 */
import type { Duplex, Writable } from 'node:stream';
import type { AttachConnection } from '../../runtime/attach-socket.js';
import { stdioFrame } from '../../stdio/stdio-frames.js';
import { DetachKeyScanner } from '../../stdio/detach-keys.js';

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
      if (forward.length > 0) connection.writeStdin(forward).catch(() => undefined);
      if (detached) clientEnd('detached');
    });
    client.once('end', () => { connection.closeStdin().catch(() => undefined); });
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
