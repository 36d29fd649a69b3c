/**
 * `since` / `until` of the event stream: Unix seconds with an optional fraction (what the docker
 * CLI sends), RFC 3339, or a Go duration before now (`10m`, `1h30m`). Absent or empty means
 * unbounded; `0` is the Unix epoch, as in dockerd. Throws invalid-argument (`invalid-time`) naming
 * the parameter.
 */
import { errors } from '../base/errors.js';
import { goDurationMs } from '../base/go-duration.js';

export function parseEventTime(value: string | undefined, now: Date, name: string): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  const unix = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(value);
  if (unix !== null) return BigInt(unix[1] ?? '0') * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0'));
  const duration = goDurationMs(value);
  if (duration !== undefined) return BigInt(Math.round((now.getTime() - duration) * 1e6));
  const fraction = /\.(\d{1,9})(?:Z|[+-]\d\d:\d\d)$/i.exec(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\d/.test(value)) {
    throw errors.invalidArgument('invalid-time', `${name}: "${value}" is neither Unix seconds, an RFC 3339 time nor a duration such as 10m`);
  }
  // Date.parse keeps milliseconds only: put the nanoseconds of the fraction back.
  const nanos = fraction === null ? 0n : BigInt((fraction[1] ?? '').padEnd(9, '0')) % 1_000_000n;
  return BigInt(ms) * 1_000_000n + nanos;
}

/** Nanoseconds since the epoch → Unix seconds with nine decimals (`1700000000.000000001`). */
export function unixSecondsText(timeNano: bigint): string {
  const seconds = timeNano / 1_000_000_000n;
  return `${seconds}.${(timeNano % 1_000_000_000n).toString().padStart(9, '0')}`;
}
