/**
 * A helper program berthd keeps running beside it (`<program> <args>`), asked one line on its
 * stdin and answering one line on its stdout, in order. Started on the first question, started
 * again after it dies (the questions it had not answered fail with why it ended). It keeps berthd
 * alive only while a question waits for its answer, and ends by itself when berthd does (its stdin
 * closes).
 *
 * A co-process rather than the process runner where berthd asks often: a process run costs
 * berthd a few milliseconds, a line to a running helper a few microseconds.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  readonly pending: { resolve: (line: string) => void; reject: (err: Error) => void }[];
  buffer: string;
}

export class LineCoprocess {
  #running: Running | undefined;

  constructor(readonly program: string, private readonly args: readonly string[]) {}

  /** Sends `line` (no newline in it) and resolves with the answer line; rejects when the helper cannot start or dies first. */
  ask(line: string): Promise<string> {
    const running = this.#running ?? this.#start();
    return new Promise((resolve, reject) => {
      if (running.pending.length === 0) (running.child.stdout as unknown as Socket).ref();
      running.pending.push({ resolve, reject });
      running.child.stdin.write(`${line}\n`);
    });
  }

  #start(): Running {
    const child = spawn(this.program, this.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const running: Running = { child, pending: [], buffer: '' };
    this.#running = running;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      running.buffer += chunk;
      for (let end = running.buffer.indexOf('\n'); end >= 0; end = running.buffer.indexOf('\n')) {
        const answer = running.buffer.slice(0, end);
        running.buffer = running.buffer.slice(end + 1);
        running.pending.shift()?.resolve(answer);
        if (running.pending.length === 0) (child.stdout as unknown as Socket).unref();
      }
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const fail = (err: Error): void => {
      if (this.#running === running) this.#running = undefined;
      for (const waiter of running.pending.splice(0)) waiter.reject(err);
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => { fail(new Error(`${this.program} ended (${signal ?? `exit code ${code ?? '?'}`})${stderr === '' ? '' : `: ${stderr.trim()}`}`)); });
    child.stdin.on('error', () => undefined); // a write after it died: its exit rejects the waiters
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref();
    return running;
  }
}
