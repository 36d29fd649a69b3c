/**
 * One line of Docker's json-file log, byte for byte as dockerd writes it:
 * `{"log":"hi\n","stream":"stdout","attrs":{…},"time":"2026-01-02T03:04:05.123456789Z"}` —
 * `log` escaped as its jsonlog marshaller does (`\u0009` for a tab, `\u003c` for `<`), `attrs`
 * as Go's encoding/json marshals a map (sorted keys), `time` in RFC 3339 with trailing zeros of the
 * fraction dropped. A message without a trailing `\n` in `log` is partial (a long line split, or
 * the last output of a container that exited mid-line). Pure.
 */
import { errors } from '../../base/errors.js';
import { parseRfc3339Nano, type LogEntry, type LogStream } from '../k8s-file-log.js';

const HEX = '0123456789abcdef';

function escapeJson(text: string, shortTab: boolean): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t' && shortTab) out += '\\t';
    else if (code < 0x20 || char === '<' || char === '>' || char === '&') out += `\\u00${HEX[code >> 4] ?? '0'}${HEX[code & 0xf] ?? '0'}`;
    else if (code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16)}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\\ufffd';
    else out += char;
  }
  return `${out}"`;
}

/** The `log` field as dockerd's jsonlog marshaller escapes it. */
export function jsonLogString(text: string): string {
  return escapeJson(text, false);
}

/** A string as Go's encoding/json marshals it (HTML characters escaped, `\t` kept short). */
export function goJsonString(text: string): string {
  return escapeJson(text, true);
}

/** `attrs` as Go marshals a map[string]string: keys sorted; undefined when there are none. */
export function marshalAttributes(attrs: Record<string, string>): string | undefined {
  const keys = Object.keys(attrs).sort();
  if (keys.length === 0) return undefined;
  return `{${keys.map((key) => `${goJsonString(key)}:${goJsonString(attrs[key] ?? '')}`).join(',')}}`;
}

/** Go's time.RFC3339Nano in UTC: `2026-01-02T03:04:05.1234Z` (no fraction when it is zero). */
export function goTimeRfc3339Nano(timeNs: bigint): string {
  const seconds = timeNs / 1_000_000_000n;
  const fraction = (timeNs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${base}${fraction === '' ? '' : `.${fraction}`}Z`;
}

export interface JsonLogMessage {
  /** The output, with its `\n` unless partial. */
  log: string;
  stream: LogStream;
  timeNs: bigint;
}

/** One json-file line, with its trailing newline. `attrs` is the marshalled object (marshalAttributes). */
export function encodeJsonLogLine(message: JsonLogMessage, attrs?: string): string {
  const parts = [`"log":${jsonLogString(message.log)}`, `"stream":${jsonLogString(message.stream)}`];
  if (attrs !== undefined) parts.push(`"attrs":${attrs}`);
  parts.push(`"time":"${goTimeRfc3339Nano(message.timeNs)}"`);
  return `{${parts.join(',')}}\n`;
}

function field(value: unknown, name: string, line: string): string {
  if (typeof value !== 'string') throw errors.dataLoss('invalid-log-record', `json-file line without "${name}": ${JSON.stringify(line.slice(0, 200))}`);
  return value;
}

/**
 * One json-file line (without its newline) as a log entry: `line` without the `\n`, `partial`
 * when there was none. Throws data-loss (`invalid-log-record`) for a line that is not one.
 */
export function decodeJsonLogLine(line: string): LogEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (cause) {
    throw errors.dataLoss('invalid-log-record', `not a json-file log line: ${JSON.stringify(line.slice(0, 200))}`, { cause });
  }
  const record = typeof parsed === 'object' && parsed !== null ? parsed as Record<string, unknown> : {};
  const log = field(record.log ?? '', 'log', line);
  const stream = field(record.stream, 'stream', line);
  const time = field(record.time, 'time', line);
  if (stream !== 'stdout' && stream !== 'stderr') throw errors.dataLoss('invalid-log-record', `json-file line with stream ${JSON.stringify(stream)}`);
  let timeNs: bigint;
  try {
    timeNs = parseRfc3339Nano(time);
  } catch (cause) {
    throw errors.dataLoss('invalid-log-record', `json-file line with a bad time: ${JSON.stringify(time)}`, { cause });
  }
  const complete = log.endsWith('\n');
  return { timeNs, time, stream, line: complete ? log.slice(0, -1) : log, ...(complete ? {} : { partial: true }) };
}
