/**
 * `--since` / `--until` as the docker CLI reads them: Unix seconds (with a fraction), a duration
 * before now (`10m`, `1h30m`, `1.5h`, Go's units), or a date/time (RFC 3339, `2006-01-02`,
 * `2006-01-02T15:04:05`; local time without a zone). Sent as Unix seconds with nine decimals.
 */
import { errors } from '../base/errors.js';
import { goDurationMs } from '../base/go-duration.js';

export { goDurationMs };

function unixSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const nanos = Math.round((ms - whole * 1000) * 1e6);
  return `${whole}.${String(nanos).padStart(9, '0')}`;
}

/** `value` of `flag` → Unix seconds for the API. Throws invalid-argument naming the flag. */
export function apiTime(value: string, now: Date, flag: string): string {
  if (/^\d+(\.\d{1,9})?$/.test(value)) return value;
  const duration = goDurationMs(value);
  if (duration !== undefined) return unixSeconds(now.getTime() - duration);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw errors.invalidArgument('invalid-time', `${flag} ${value}: want a timestamp (2026-01-02T15:04:05Z), Unix seconds or a duration such as 10m`);
  return unixSeconds(ms);
}
