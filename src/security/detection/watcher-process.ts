/**
 * berth-watch (berth-watch.c, built into dist/libexec) run as berthd's co-process: one for the
 * node, told which containers' files to watch, reporting what every container's processes do.
 * Its lines are checked (watch-events.ts); a line that does not parse is logged and dropped.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { errors, messageOf } from '../../base/errors.js';
import { componentLogger } from '../../base/logger.js';
import { watchLineSchema, type ExecEvent, type FileEvent, type PtraceEvent } from './watch-events.js';

const log = componentLogger('detection');

/** dist/libexec/berth-watch, next to the built code (this file is dist/src/security/detection/…). */
export const DEFAULT_WATCH_PROGRAM = fileURLToPath(new URL('../../../libexec/berth-watch', import.meta.url));

/** What a command field may hold: the helper's lines split at tabs and end at newlines. */
const FIELD = /^[^\t\n\0]+$/;

export interface WatcherOptions {
  program?: string;
  /** The cgroup under which the node's containers run (berthd's --cgroup-parent). */
  cgroupParent: string;
  onEvent: (event: ExecEvent | PtraceEvent | FileEvent) => void;
  /** The helper ended (a crash, or `close`); `code` is its exit code. */
  onExit?: (code: number | null) => void;
}

export class WatcherProcess {
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  #closed = false;
  /** Callers waiting for berth-watch's answer to their watch command, by container id. */
  readonly #answers = new Map<string, (() => void)[]>();

  private constructor(child: ChildProcessByStdio<Writable, Readable, Readable>) {
    this.#child = child;
  }

  /** Starts berth-watch and resolves once it listens (throws unavailable when it cannot start). */
  static async start(options: WatcherOptions): Promise<WatcherProcess> {
    const program = options.program ?? DEFAULT_WATCH_PROGRAM;
    const child = spawn(program, [options.cgroupParent], { stdio: ['pipe', 'pipe', 'pipe'] });
    const watcher = new WatcherProcess(child);
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-2000); });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('error', (err) => { reject(errors.unavailable('detection-unavailable', `${program}: ${messageOf(err)} (npm run build makes it)`)); });
      child.once('exit', (code) => {
        watcher.#closed = true;
        watcher.#answerAll();
        reject(errors.unavailable('detection-unavailable', `${program} exited with code ${String(code)}: ${stderr.trim()}`));
        options.onExit?.(code);
      });
      createInterface({ input: child.stdout }).on('line', (line) => {
        const parsed = watchLineSchema.safeParse(parseJson(line));
        if (!parsed.success) {
          log.warn('berth-watch wrote a line that is not one of its events', { line: line.slice(0, 200) });
          return;
        }
        const event = parsed.data;
        if (event.ev === 'ready') resolve();
        else if (event.ev === 'watched') watcher.#answer(event.cid);
        else if (event.ev === 'error') log.warn(`watching the files of container ${event.cid.slice(0, 12)}: ${event.message}`);
        else if (event.ev === 'lost') log.warn(`berth-watch dropped ${event.count} events while berthd was not reading`);
        else if (event.ev !== 'unwatched') options.onEvent(event);
      });
    });
    child.stdin.on('error', () => undefined); // a dead helper's stdin: its exit is reported above
    await ready;
    return watcher;
  }

  /**
   * Watches the container's files: opens of `reads` (paths or below them), writes below `writes`,
   * and its executions. Resolves once berth-watch has its marks in place (or has ended).
   */
  watch(id: string, rootfs: string, reads: readonly string[], writes: readonly string[]): Promise<void> {
    const fields = [id, rootfs, ...reads.map((p) => `R:${p}`), ...writes.map((p) => `W:${p}`)];
    if (!fields.every((f) => FIELD.test(f))) throw errors.invalidArgument('invalid-watch', `container ${id}: a watched path holds a tab or newline`);
    if (this.#closed) return Promise.resolve();
    const answered = new Promise<void>((resolve) => { this.#answers.set(id, [...(this.#answers.get(id) ?? []), resolve]); });
    this.#send(['watch', ...fields]);
    return answered;
  }

  #answer(id: string): void {
    const waiting = this.#answers.get(id) ?? [];
    this.#answers.delete(id);
    for (const resolve of waiting) resolve();
  }

  #answerAll(): void {
    for (const id of [...this.#answers.keys()]) this.#answer(id);
  }

  unwatch(id: string): void {
    this.#send(['unwatch', id]);
  }

  #send(fields: readonly string[]): void {
    if (!this.#closed) this.#child.stdin.write(`${fields.join('\t')}\n`);
  }

  /** Stops the helper (closing its stdin ends it). */
  async close(): Promise<void> {
    if (this.#closed) return;
    const exited = new Promise<void>((resolve) => { this.#child.once('exit', () => { resolve(); }); });
    this.#closed = true;
    this.#child.stdin.end();
    await exited;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line) as unknown;
  } catch {
    return undefined; // reported by the caller as a line that is not an event
  }
}
