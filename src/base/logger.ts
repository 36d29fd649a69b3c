/**
 * The one logger of berth's processes. Modules take a component logger (`componentLogger('engine')`)
 * and write through it; where the lines go is decided once per process by its sink: berthd installs
 * a pino sink (daemon/daemon-logger.ts: levels, JSON or text), every other process (the CLI working
 * on a state root, tests) keeps the default, which writes warnings and errors to stderr as text.
 *
 * A component logger reads the sink at each call, so a module may take its logger at load time,
 * before berthd has installed its sink.
 */

import { errnoCode } from './errors.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Structured fields of a line. `err` may be any thrown value; sinks render it by its message. */
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** The same logger with these fields on every line (a container id, a request id). */
  child(fields: LogFields): Logger;
}

/** Where a process's lines go. */
export interface LogSink {
  write(level: LogLevel, message: string, fields: LogFields): void;
}

/** The message of a thrown value, for a line. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  // pino's serialized errors are plain objects with a message.
  if (typeof err === 'object' && err !== null && 'message' in err && typeof err.message === 'string') return err.message;
  return valueText(err);
}

/** A value as text: strings as they are, objects and numbers as JSON, what JSON has no text for by String. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** `key=value` pairs of a line's fields, values quoted when they hold spaces. */
export function fieldText(fields: LogFields): string {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = key === 'err' ? errorText(value) : valueText(value);
      return `${key}=${/[\s"=]/.test(text) ? JSON.stringify(text) : text}`;
    })
    .join(' ');
}

/** Without an installed sink: warnings and errors to stderr, `component: message key=value`. */
export const stderrSink: LogSink = {
  write(level, message, fields) {
    if (level === 'debug' || level === 'info') return;
    const { component, ...rest } = fields;
    const prefix = typeof component === 'string' ? `${component}: ` : '';
    const tail = fieldText(rest);
    process.stderr.write(`${prefix}${message}${tail === '' ? '' : ` ${tail}`}\n`);
  },
};

let sink: LogSink = stderrSink;

/** Makes `next` the process's sink; returns a function that puts the previous one back. */
export function installLogSink(next: LogSink): () => void {
  const previous = sink;
  sink = next;
  return () => { sink = previous; };
}

class SinkLogger implements Logger {
  readonly #fields: LogFields;
  constructor(fields: LogFields) { this.#fields = fields; }
  debug(message: string, fields?: LogFields): void { this.#write('debug', message, fields); }
  info(message: string, fields?: LogFields): void { this.#write('info', message, fields); }
  warn(message: string, fields?: LogFields): void { this.#write('warn', message, fields); }
  error(message: string, fields?: LogFields): void { this.#write('error', message, fields); }
  child(fields: LogFields): Logger { return new SinkLogger({ ...this.#fields, ...fields }); }
  #write(level: LogLevel, message: string, fields: LogFields | undefined): void {
    sink.write(level, message, fields === undefined ? this.#fields : { ...this.#fields, ...fields });
  }
}

/** The logger of one component (`engine`, `cluster`, `api`…): its lines carry `component`. */
export function componentLogger(component: string): Logger {
  return new SinkLogger({ component });
}

/**
 * A rejection handler for work whose failure must not stop its caller (cleanup, best-effort
 * notices): it logs the failure as a warning, `… failed`. `.catch(warnOnFailure(log, 'removing the bundle', { id }))`.
 */
export function warnOnFailure(log: Logger, what: string, fields?: LogFields): (err: unknown) => void {
  return (err: unknown) => { log.warn(`${what} failed`, { ...fields, err }); };
}

/** As warnOnFailure, but failures with one of these errno codes are expected (ENOENT: already gone) and not logged. */
export function warnUnlessErrno(codes: readonly string[], log: Logger, what: string, fields?: LogFields): (err: unknown) => void {
  const warn = warnOnFailure(log, what, fields);
  return (err: unknown) => {
    const code = errnoCode(err);
    if (code === undefined || !codes.includes(code)) warn(err);
  };
}
