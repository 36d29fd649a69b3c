/** Values of `service create|update` flags, pure: each throws invalid-argument (`invalid-flag`) naming the flag. */
import { errors } from '../../base/errors.js';
import { goDurationMs } from '../../base/go-duration.js';

export function badFlag(flag: string, value: string, want: string): Error {
  return errors.invalidArgument('invalid-flag', `${flag} ${value}: ${want}`);
}

/** A whole number ≥ 0, or undefined when the flag is absent. */
export function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw badFlag(flag, value, 'want a whole number (0 or more)');
  return n;
}

/** `--limit-cpu 1.5` → NanoCPUs. */
export function cpus(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw badFlag(flag, value, 'want a number of CPUs such as 0.5 or 2');
  return Math.round(n * 1e9);
}

/** A Go duration (`5s`, `1m30s`) → nanoseconds, as the Swarm API carries durations. */
export function durationNs(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = goDurationMs(value);
  if (ms === undefined) throw badFlag(flag, value, 'want a duration such as 5s, 1m30s or 250ms');
  return Math.round(ms * 1e6);
}
