import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import { BerthError, errnoCode, errors } from './errors.js';
import { componentLogger, warnUnlessErrno } from './logger.js';
import { traced, tracing } from './trace-spans.js';

const log = componentLogger('base');

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes written to the child's stdin, which is then closed. */
  input?: Uint8Array | string;
  /** Exit codes that are not failures (default: only 0). */
  okCodes?: readonly number[];
  signal?: AbortSignal;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The one way berth starts a child process and waits for it. Implementations must not use a shell.
 * `run` resolves when the process exits with an ok code, and otherwise throws:
 * not-found (reason `command-not-found`) when the executable is missing, internal
 * (reason `command-failed`) with the stderr text on any other exit, canceled when aborted.
 * Safe to call concurrently.
 */
export interface ProcessRunner {
  run(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

/** A process's span name: the program and its first word that is neither a flag nor a path (`runc start`). */
function spanName(command: string, args: readonly string[]): string {
  const verb = args.find((a) => !a.startsWith('-') && !a.startsWith('/'));
  return `exec ${basename(command)}${verb === undefined ? '' : ` ${verb}`}`;
}

/** ProcessRunner on node:child_process. */
export class ChildProcessRunner implements ProcessRunner {
  run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return tracing ? traced(spanName(command, args), () => this.#run(command, args, options)) : this.#run(command, args, options);
  }

  #run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, {
        cwd: options.cwd,
        env: options.env ?? process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
        signal: options.signal,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', (cause) => {
        if (errnoCode(cause) === 'ENOENT') {
          reject(errors.notFound('command-not-found', `${command}: not installed (run scripts/install.sh)`, { cause }));
        } else if (cause.name === 'AbortError') {
          reject(new BerthError('canceled', 'command-canceled', `${command}: canceled`, { cause }));
        } else {
          reject(errors.internal('command-failed', `${command}: ${cause.message}`, { cause }));
        }
      });
      child.on('close', (code, signal) => {
        const result = {
          code: code ?? 128,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        };
        if ((options.okCodes ?? [0]).includes(result.code) && signal === null) {
          resolve(result);
          return;
        }
        const why = signal === null ? `exit code ${result.code}` : `signal ${signal}`;
        const text = result.stderr.trim() || result.stdout.trim();
        reject(
          errors.internal('command-failed', `${command} ${args.join(' ')}: ${why}${text ? `: ${text}` : ''}`, {
            details: { command, args, code: result.code, stderr: result.stderr },
          }),
        );
      });
      // EPIPE: the child exited (or closed its stdin) before reading it all; its exit reports the outcome.
      child.stdin.on('error', warnUnlessErrno(['EPIPE', 'ECONNRESET'], log, 'writing the input of a process', { command }));
      child.stdin.end(options.input);
    });
  }
}
