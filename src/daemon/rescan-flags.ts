import { errors } from '../base/errors.js';
import { goDurationMs } from '../base/go-duration.js';
import type { RescanSettings } from '../security/daemon-hooks.js';
import { FLOOR_SEVERITIES } from '../security/rescan/rescan-findings.js';

/** berthd's rescan flags as commander gives them. */
export interface RescanFlags {
  rescanSeverity: string;
  rescanInterval: string;
  rescanCheckInterval: string;
}

export const RESCAN_FLAG_DEFAULTS: RescanFlags = { rescanSeverity: 'HIGH', rescanInterval: '6h', rescanCheckInterval: '10s' };

/** A Go duration (`6h`, `90s`, `1h30m`) or `0`, in milliseconds; undefined when it is neither. */
function durationMs(value: string): number | undefined {
  return value === '0' ? 0 : goDurationMs(value);
}

/**
 * `--rescan-severity LOW|MEDIUM|HIGH|CRITICAL` (any case), `--rescan-interval` (a duration, 0 for
 * no scheduled rescans), `--rescan-check-interval` (a duration above 0). Throws invalid-argument
 * (`invalid-option`) naming the flag.
 */
export function rescanSettings(flags: RescanFlags): RescanSettings {
  const floor = FLOOR_SEVERITIES.find((s) => s === flags.rescanSeverity.toUpperCase());
  if (floor === undefined) throw errors.invalidArgument('invalid-option', `--rescan-severity ${flags.rescanSeverity}: want ${FLOOR_SEVERITIES.join(', ')}`);
  const rescanIntervalMs = durationMs(flags.rescanInterval);
  if (rescanIntervalMs === undefined || (rescanIntervalMs > 0 && rescanIntervalMs < 1)) throw errors.invalidArgument('invalid-option', `--rescan-interval ${flags.rescanInterval}: want a duration of at least 1ms such as 6h, or 0 for none`);
  const checkIntervalMs = durationMs(flags.rescanCheckInterval);
  if (checkIntervalMs === undefined || checkIntervalMs < 1) throw errors.invalidArgument('invalid-option', `--rescan-check-interval ${flags.rescanCheckInterval}: want a duration of at least 1ms, such as 10s`);
  return { floor, rescanIntervalMs, checkIntervalMs };
}
