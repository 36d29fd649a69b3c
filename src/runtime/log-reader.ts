/**
 * Reading a container's k8s-file log: a snapshot with since/until/tail filters, or a follow mode
 * that keeps yielding entries as conmon appends them (fs.watch on the log's directory, so a log
 * that conmon truncates and replaces at --log-size-max is picked up from its start).
 */
import { watch } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { errnoCode } from '../base/errors.js';
import { LogAssembler, parseLogRecord, parseLogText, type LogEntry, type LogStream } from './k8s-file-log.js';
import { componentLogger } from '../base/logger.js';

const log = componentLogger('runtime');

export interface LogFilter {
  /** Only entries at or after this time (ns since the epoch). */
  sinceNs?: bigint;
  /** Only entries at or before this time (ns since the epoch). */
  untilNs?: bigint;
  /** Only the last N entries (after the other filters). */
  tail?: number;
  /** Only these streams (default both). */
  streams?: readonly LogStream[];
}

/** Safety net only: a missed watcher event costs at most this long. */
const SAFETY_POLL_MS = 1000;

/** Whether an entry passes the filter's time and stream conditions (not `tail`). */
export function matches(entry: LogEntry, filter: LogFilter): boolean {
  return (filter.sinceNs === undefined || entry.timeNs >= filter.sinceNs)
    && (filter.untilNs === undefined || entry.timeNs <= filter.untilNs)
    && (filter.streams === undefined || filter.streams.includes(entry.stream));
}

/** The last `tail` entries (all when undefined). */
export function applyTail(entries: LogEntry[], tail: number | undefined): LogEntry[] {
  return tail === undefined ? entries : tail <= 0 ? [] : entries.slice(-tail);
}

/**
 * The log's entries, filtered. A missing log is empty (the container has not written yet).
 * Throws data-loss (`invalid-log-record`) on a line that is not a k8s-file record. Read-only:
 * safe while conmon writes (a torn last line is treated as a partial entry).
 */
export async function readLog(path: string, filter: LogFilter = {}): Promise<LogEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  // A last line without its newline is still being written: leave it out.
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  return applyTail(parseLogText(complete).filter((e) => matches(e, filter)), filter.tail);
}

/**
 * Yields the log's entries (filtered; `tail` applies to what is already there) and then new ones
 * as they are written, until `signal` aborts (the generator then returns; it does not throw), or
 * until `done` settles: then it reads once more to the end, yields the lines never ended, and
 * returns (pass the container's exit: conmon has written all output before it reports the exit). Throws data-loss as readLog. One
 * generator per follower; any number may follow one log.
 */
export async function* followLog(path: string, signal: AbortSignal, filter: Omit<LogFilter, 'untilNs'> = {}, done?: Promise<unknown>): AsyncGenerator<LogEntry> {
  let offset = 0;
  let ino: number | undefined;
  let leftover = '';
  let assembler = new LogAssembler();
  let first = true;
  let changed = false;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    changed = true;
    const w = wake;
    wake = undefined;
    w?.();
  };
  const watcher = watch(dirname(path), (_event, name) => {
    if (name === null || name === basename(path)) poke();
  });
  // A watch that fails (the directory went, inotify limits) only costs latency: the poll below goes on.
  watcher.on('error', (err) => { log.debug('watching a log file failed; polling it', { err, path }); });
  const timer = setInterval(poke, SAFETY_POLL_MS);
  // Read through a function: the flag is set by callbacks while this generator awaits.
  const hasNews = (): boolean => changed || signal.aborted;
  signal.addEventListener('abort', poke, { once: true });
  let finishing = false;
  const finish = (): void => {
    finishing = true;
    poke();
  };
  void done?.then(finish, finish);
  const isFinishing = (): boolean => finishing;
  try {
    while (!signal.aborted) {
      const last = isFinishing();
      changed = false;
      const info = await stat(path).catch((err: unknown) => {
        if (errnoCode(err) === 'ENOENT') return undefined;
        throw err;
      });
      if (info !== undefined && (info.ino !== ino || info.size < offset)) {
        ino = info.ino;
        offset = 0;
        leftover = '';
        assembler = new LogAssembler();
      }
      const batch: LogEntry[] = [];
      if (info !== undefined && info.size > offset) {
        const handle = await open(path, 'r');
        try {
          const buffer = Buffer.alloc(info.size - offset);
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
          offset += bytesRead;
          leftover += buffer.subarray(0, bytesRead).toString('utf8');
        } finally {
          await handle.close();
        }
        const lastNewline = leftover.lastIndexOf('\n');
        const lines = leftover.slice(0, lastNewline + 1).split('\n');
        leftover = leftover.slice(lastNewline + 1);
        for (const line of lines) {
          if (line === '') continue;
          const entry = assembler.push(parseLogRecord(line));
          if (entry && matches(entry, filter)) batch.push(entry);
        }
      }
      // The last read: lines the container never ended are entries too (as readLog has them).
      if (last) batch.push(...assembler.flush().filter((entry) => matches(entry, filter)));
      yield* first ? applyTail(batch, filter.tail) : batch;
      first = false;
      if (last) return;
      if (!hasNews()) await new Promise<void>((resolve) => { wake = resolve; });
    }
  } finally {
    clearInterval(timer);
    watcher.close();
    signal.removeEventListener('abort', poke);
  }
}

