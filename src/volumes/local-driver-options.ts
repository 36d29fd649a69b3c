/**
 * Options of the `local` volume driver (`--opt key=value`, `DriverOpts`): berth's `uid`, `gid`
 * and `mode` for the volume's root directory (so a non-root container can write to it), and
 * Docker's `type`, `device` and `o`, which make the volume a mount (`mount -t type -o o device`),
 * e.g. a tmpfs (`type=tmpfs,device=tmpfs,o=size=64m`) or a bind of a host directory
 * (`type=none,device=/srv/x,o=bind`). Pure.
 */
import { errors } from '../base/errors.js';

export interface LocalVolumeOptions {
  uid?: number;
  gid?: number;
  /** Permission bits (with setuid/setgid/sticky) of the volume's root directory. */
  mode?: number;
  /** Filesystem type to mount (`none` with `o=bind` for a bind). */
  type?: string;
  device?: string;
  /** Mount options (comma list, as mount(8)'s -o). */
  o?: string;
}

const KEYS = new Set(['uid', 'gid', 'mode', 'type', 'device', 'o']);
const SAFE = /^[^\0\n]+$/;

function id(value: string, key: string, field: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > 0xfffffffe) {
    throw errors.invalidArgument('invalid-volume-option', `${field}: ${key}=${value}: want a numeric id`);
  }
  return n;
}

/** Checks the driver options. Throws invalid-argument (`invalid-volume-option`) naming `field` and the key. */
export function parseLocalOptions(options: Readonly<Record<string, string>>, field = 'DriverOpts'): LocalVolumeOptions {
  const parsed: LocalVolumeOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (!KEYS.has(key)) throw errors.invalidArgument('invalid-volume-option', `${field}: invalid option key: "${key}" (the local driver takes uid, gid, mode, type, device, o)`);
    if (key === 'uid' || key === 'gid') parsed[key] = id(value, key, field);
    else if (key === 'mode') {
      if (!/^[0-7]{3,4}$/.test(value)) throw errors.invalidArgument('invalid-volume-option', `${field}: mode=${value}: want octal permission bits such as 0770`);
      parsed.mode = parseInt(value, 8);
    } else {
      if (!SAFE.test(value) || value.startsWith('-')) throw errors.invalidArgument('invalid-volume-option', `${field}: ${key}=${value}: invalid value`);
      if (key === 'type' || key === 'device' || key === 'o') parsed[key] = value;
    }
  }
  if ((parsed.type === undefined) !== (parsed.device === undefined)) {
    throw errors.invalidArgument('invalid-volume-option', `${field}: type and device go together (e.g. type=tmpfs,device=tmpfs)`);
  }
  if (parsed.o !== undefined && parsed.type === undefined) {
    throw errors.invalidArgument('invalid-volume-option', `${field}: o=${parsed.o} needs type and device`);
  }
  return parsed;
}

/** Whether the volume is a mount of its own (type/device) rather than a plain directory. */
export function isMountedVolume(options: LocalVolumeOptions): boolean {
  return options.type !== undefined;
}

/** The mount(8) arguments that mount the volume at `dir`. */
export function mountArguments(options: LocalVolumeOptions, dir: string): string[] {
  const args: string[] = [];
  if (options.type !== undefined && options.type !== 'none') args.push('-t', options.type);
  if (options.o !== undefined) args.push('-o', options.o);
  else if (options.type === 'none') args.push('-o', 'bind');
  args.push(options.device ?? 'none', dir);
  return args;
}
