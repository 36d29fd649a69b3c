/**
 * `logs` of a container whose driver keeps its own files (json-file, local): a read brings the
 * files up to date with the spool first (so output written before the call is in it), a follow
 * reads them and then takes the lines the copy appends, with none missed or repeated in between.
 */
import type { LogEntry } from '../k8s-file-log.js';
import { applyTail, matches, type LogFilter } from '../log-reader.js';
import { LogLineDecoder, readLogSet } from './log-set-reader.js';
import type { LogShipment, ShippedFormat } from './log-shipment.js';

export interface ShippedLog {
  /** The current file of the set. */
  path: string;
  format: ShippedFormat;
  /** The driver's max-file: which rotated files are read. */
  maxFile: number;
  /** The copy of a running container's output (absent: nothing is being copied). */
  shipment: LogShipment | undefined;
}

/** The entries, filtered. Throws data-loss (`invalid-log-record`) for a line of another format. */
export async function readShippedLog(log: ShippedLog, filter: LogFilter = {}): Promise<LogEntry[]> {
  const decoder = new LogLineDecoder(log.format);
  const read = async (): Promise<LogEntry[]> => [...await readLogSet(log.path, log.maxFile, decoder), ...decoder.flush()];
  let entries: LogEntry[];
  if (log.shipment === undefined) {
    entries = await read();
  } else {
    await log.shipment.sync();
    entries = await log.shipment.read(read);
  }
  return applyTail(entries.filter((entry) => matches(entry, filter)), filter.tail);
}

/**
 * Yields the entries (filtered; `tail` applies to those already there), then new ones as they
 * are copied, until `signal` aborts or `done` (the container's exit) settles: then the last lines
 * are copied and yielded, and the generator returns. Throws as readShippedLog.
 */
export async function* followShippedLog(log: ShippedLog, signal: AbortSignal, filter: Omit<LogFilter, 'untilNs'>, done: Promise<unknown>): AsyncGenerator<LogEntry> {
  const decoder = new LogLineDecoder(log.format);
  const queue: LogEntry[] = [];
  let failure: { err: unknown } | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const poke = (): void => {
    const resume = wake;
    wake = undefined;
    resume?.();
  };
  const finish = (): void => {
    finished = true;
    poke();
  };
  void done.then(finish, finish);
  signal.addEventListener('abort', poke, { once: true });
  const listener = (lines: readonly string[]): void => {
    try {
      queue.push(...decoder.push(lines));
    } catch (err) {
      failure ??= { err };
    }
    poke();
  };
  let detach = (): void => undefined;
  try {
    let initial: LogEntry[];
    if (log.shipment === undefined) {
      initial = await readLogSet(log.path, log.maxFile, decoder);
    } else {
      await log.shipment.sync();
      ({ value: initial, detach } = await log.shipment.attach(() => readLogSet(log.path, log.maxFile, decoder), listener));
    }
    yield* applyTail(initial.filter((entry) => matches(entry, filter)), filter.tail);
    // Read through functions: callbacks change these while the generator waits.
    const isFinished = (): boolean => finished;
    const failed = (): { err: unknown } | undefined => failure;
    while (!signal.aborted) {
      const last = isFinished();
      if (last) await log.shipment?.sync();
      const error = failed();
      if (error !== undefined) throw error.err;
      for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) if (matches(entry, filter)) yield entry;
      if (last) {
        yield* decoder.flush().filter((entry) => matches(entry, filter));
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (queue.length > 0 || isFinished() || signal.aborted || failed() !== undefined) poke();
      });
    }
  } finally {
    detach();
    signal.removeEventListener('abort', poke);
  }
}
