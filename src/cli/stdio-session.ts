/**
 * A hijacked attach or exec session joined to this process's stdio: output to stdout/stderr,
 * stdin (when asked) to the daemon, raw mode with `-it`, and the detach keys, watched here as the
 * docker CLI does so that detaching is told apart from the end of the output.
 */
import { DEFAULT_DETACH_KEYS, DetachKeyScanner, parseDetachKeys } from '../stdio/detach-keys.js';
import type { HijackedStream } from '../client/hijacked-stream.js';
import { enterRawMode } from './terminal.js';

export interface SessionOptions {
  /** Forward this process's stdin. */
  stdin: boolean;
  /** `ctrl-p,ctrl-q` by default; only watched with a TTY and stdin, as Docker does. */
  detachKeys?: string;
}

/** 'ended': the output ended (the process exited or the daemon ended the session); 'detached': the user typed the detach keys. */
export type SessionEnd = 'ended' | 'detached';

/**
 * Streams until the output ends or the user detaches. Raw mode (a TTY session with stdin from a
 * terminal) is restored before this resolves; with `stdin`, process.stdin is destroyed (so that
 * the process can exit).
 * Rejects when the connection breaks.
 */
export async function streamSession(stream: HijackedStream, options: SessionOptions): Promise<SessionEnd> {
  const input = process.stdin;
  const state = { detached: false };
  let restoreTerminal = (): void => undefined;
  const scanner = options.stdin && stream.tty ? new DetachKeyScanner(parseDetachKeys(options.detachKeys ?? DEFAULT_DETACH_KEYS)) : undefined;
  const onData = (chunk: Buffer): void => {
    const scanned = scanner?.push(chunk) ?? { forward: chunk, detached: false };
    if (scanned.forward.length > 0) {
      input.pause();
      void stream.write(scanned.forward).then(() => { if (!state.detached) input.resume(); });
    }
    if (scanned.detached) {
      state.detached = true;
      stream.close();
    }
  };
  const onEnd = (): void => { stream.closeStdin(); };
  if (options.stdin) {
    if (stream.tty) restoreTerminal = enterRawMode();
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume();
  }
  try {
    await stream.output({ stdout: process.stdout, stderr: process.stderr });
  } finally {
    if (options.stdin) {
      input.off('data', onData);
      input.off('end', onEnd);
      restoreTerminal();
      input.destroy(); // this process reads stdin no more; a paused pipe would keep it alive
    }
    stream.close();
  }
  if (state.detached) process.stderr.write('\nread escape sequence\n');
  return state.detached ? 'detached' : 'ended';
}
