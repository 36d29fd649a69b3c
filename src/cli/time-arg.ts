/**
 * `--since` / `--until` as the docker CLI reads them: Unix seconds (with a fraction), a duration
 * before now (`10m`, `1h30m`, `1.5h`, Go's units), or a date/time (RFC 3339, `2006-01-02`,
 * `2006-01-02T15:04:05`; local time without a zone). Sent as Unix seconds with nine decimals.
 */
import { errors } from '../base/errors.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1h30m`, `250ms`) in milliseconds, or undefined when `text` is not one. */
export function goDurationMs(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  return total;
}

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
