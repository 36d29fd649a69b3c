import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import { errors } from '../base/errors.js';
import { LOG_LEVELS, fieldText, type LogLevel, type LogSink } from '../base/logger.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** berthd's pino logger: `--log-level`, `--log-format`; the API server's request loggers are its children. */
export interface DaemonLogger {
  pino: PinoLogger;
  /** The sink every component logger of the process writes through (base/logger.ts). */
  sink: LogSink;
}

/** `--log-level debug|info|warn|error`. Throws invalid-argument naming the option. */
export function logLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) throw errors.invalidArgument('invalid-option', `--log-level ${value}: want one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** `--log-format text|json`. Throws invalid-argument naming the option. */
export function logFormat(value: string): LogFormat {
  const format = LOG_FORMATS.find((f) => f === value);
  if (format === undefined) throw errors.invalidArgument('invalid-option', `--log-format ${value}: want text or json`);
  return format;
}

/** One JSON line of pino as `time LEVEL component: message key=value …`, dockerd's text shape. */
export function textLine(json: string): string {
  const { time, level, msg, component, ...rest } = JSON.parse(json) as Record<string, unknown>;
  const prefix = typeof component === 'string' ? `${component}: ` : '';
  const tail = fieldText(rest);
  return `${String(time)} ${String(level).toUpperCase()} ${prefix}${String(msg)}${tail === '' ? '' : ` ${tail}`}\n`;
}

/** A destination that writes pino's lines to `out` as text. */
function textDestination(out: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => { out.write(textLine(line)); } };
}

export function openDaemonLogger(level: LogLevel, format: LogFormat, out: NodeJS.WritableStream = process.stderr): DaemonLogger {
  const destination: DestinationStream = format === 'json' ? { write: (line: string) => { out.write(line); } } : textDestination(out);
  const logger = pino({
    level,
    base: null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  }, destination);
  return {
    pino: logger,
    sink: { write: (lineLevel, message, fields) => { logger[lineLevel](fields, message); } },
  };
}
