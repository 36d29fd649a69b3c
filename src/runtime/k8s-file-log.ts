/**
 * conmon's k8s-file log format: one record per line,
 * `<RFC3339Nano timestamp> <stdout|stderr> <F|P> <payload>`. `P` marks a partial line (conmon
 * splits long lines and lines without a trailing newline yet); the next record of the same stream
 * continues it, up to an `F` record. Parsing is pure (no I/O).
 */
import { errors } from '../base/errors.js';

export type LogStream = 'stdout' | 'stderr';

/** One line of the log file, as written. */
export interface LogRecord {
  /** Nanoseconds since the epoch. */
  timeNs: bigint;
  /** The timestamp as written. */
  time: string;
  stream: LogStream;
  partial: boolean;
  payload: string;
}

/** One whole line of output (partial records joined), without its newline. */
export interface LogEntry {
  /** Time of the entry's first record, in nanoseconds since the epoch. */
  timeNs: bigint;
  time: string;
  stream: LogStream;
  line: string;
  /** The output stopped in this line: no newline followed it (the container exited mid-line). */
  partial?: boolean;
}

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Nanoseconds since the epoch of an RFC 3339 timestamp with up to 9 fraction digits.
 * Throws invalid-argument (`invalid-timestamp`) otherwise.
 */
export function parseRfc3339Nano(text: string): bigint {
  const match = TIMESTAMP.exec(text);
  const ms = match ? Date.parse(`${match[1] ?? ''}${match[3] ?? ''}`) : NaN;
  if (!match || Number.isNaN(ms)) throw errors.invalidArgument('invalid-timestamp', `not an RFC 3339 timestamp: ${JSON.stringify(text)}`);
  const fraction = (match[2] ?? '').padEnd(9, '0');
  return BigInt(ms) * 1_000_000n + BigInt(fraction);
}

/**
 * Parses one log line (without its `\n`). Throws data-loss (`invalid-log-record`) for a line that
 * is not a k8s-file record (a torn write, another format).
 */
export function parseLogRecord(line: string): LogRecord {
  const first = line.indexOf(' ');
  const second = line.indexOf(' ', first + 1);
  const third = line.indexOf(' ', second + 1);
  const time = line.slice(0, first);
  const stream = line.slice(first + 1, second);
  const tag = third < 0 ? line.slice(second + 1) : line.slice(second + 1, third);
  if (first <= 0 || second < 0 || (stream !== 'stdout' && stream !== 'stderr') || (tag !== 'F' && tag !== 'P')) {
    throw errors.dataLoss('invalid-log-record', `not a k8s-file log record: ${JSON.stringify(line.slice(0, 200))}`);
  }
  let timeNs: bigint;
  try {
    timeNs = parseRfc3339Nano(time);
  } catch (cause) {
    throw errors.dataLoss('invalid-log-record', `log record with a bad timestamp: ${JSON.stringify(line.slice(0, 200))}`, { cause });
  }
  return { timeNs, time, stream, partial: tag === 'P', payload: third < 0 ? '' : line.slice(third + 1) };
}

/**
 * Joins partial records into entries, per stream (stdout and stderr interleave independently).
 * Feed records in file order; `push` returns the entry a record completes, if any. Not safe for
 * concurrent use; one assembler per reader.
 */
export class LogAssembler {
  readonly #pending = new Map<LogStream, { first: LogRecord; parts: string[] }>();

  push(record: LogRecord): LogEntry | undefined {
    const pending = this.#pending.get(record.stream);
    if (record.partial) {
      if (pending) pending.parts.push(record.payload);
      else this.#pending.set(record.stream, { first: record, parts: [record.payload] });
      return undefined;
    }
    this.#pending.delete(record.stream);
    const first = pending?.first ?? record;
    const line = pending ? [...pending.parts, record.payload].join('') : record.payload;
    return { timeNs: first.timeNs, time: first.time, stream: record.stream, line };
  }

  /** Entries for partial lines never completed (the container exited mid-line); clears them. */
  flush(): LogEntry[] {
    const out = [...this.#pending.values()].map(({ first, parts }) => ({
      timeNs: first.timeNs, time: first.time, stream: first.stream, line: parts.join(''), partial: true,
    }));
    this.#pending.clear();
    return out.sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0));
  }
}

/** Parses a whole log text into entries (trailing incomplete text and partial lines included). */
export function parseLogText(text: string): LogEntry[] {
  const assembler = new LogAssembler();
  const entries: LogEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const entry = assembler.push(parseLogRecord(line));
    if (entry) entries.push(entry);
  }
  return [...entries, ...assembler.flush()];
}
