/**
 * The daemon's stdio streams (logs, attach, exec) written to local sinks: Docker's multiplexed
 * frames (8-byte header: stream 1 stdout / 2 stderr, three zero bytes, big-endian uint32 length)
 * are split back into stdout and stderr; a TTY's raw stream all goes to stdout.
 */
import type { Writable } from 'node:stream';
import { BerthError } from '../base/errors.js';
import { StdioFrameReader } from '../stdio/stdio-frames.js';

export interface OutputSinks {
  stdout: Writable;
  stderr: Writable;
}

/** The daemon's Content-Type for a raw (TTY) stream; anything else is multiplexed. */
export const RAW_STREAM = 'application/vnd.docker.raw-stream';
/** The daemon's Content-Type for a stream of frames. */
export const MULTIPLEXED_STREAM = 'application/vnd.docker.multiplexed-stream';

function write(sink: Writable, chunk: Buffer): Promise<void> | undefined {
  if (sink.destroyed || sink.writableEnded) return undefined;
  if (sink.write(chunk)) return undefined;
  return new Promise((resolve) => {
    const done = (): void => {
      sink.off('drain', done);
      sink.off('close', done);
      sink.off('error', done);
      resolve();
    };
    sink.once('drain', done);
    sink.once('close', done);
    sink.once('error', done);
  });
}

/**
 * Copies `source` to the sinks until it ends, respecting the sinks' backpressure. With `tty` the
 * bytes are passed through to stdout; otherwise frames are decoded (stdin frames, which only an
 * echoing daemon sends, go to stdout as Docker's stdcopy does). Rejects when `source` fails, and
 * with unavailable `daemon-stream-error` carrying the daemon's message on an error frame (stdcopy's
 * "error from daemon in stream").
 */
export async function copyOutput(source: AsyncIterable<Buffer>, tty: boolean, sinks: OutputSinks): Promise<void> {
  const reader = new StdioFrameReader();
  for await (const chunk of source) {
    if (tty) {
      await write(sinks.stdout, chunk);
      continue;
    }
    for (const frame of reader.push(chunk)) {
      if (frame.stream === 'systemerr') throw new BerthError('unavailable', 'daemon-stream-error', `error from daemon in stream: ${frame.payload.toString('utf8').trim()}`);
      await write(frame.stream === 'stderr' ? sinks.stderr : sinks.stdout, frame.payload);
    }
  }
}
