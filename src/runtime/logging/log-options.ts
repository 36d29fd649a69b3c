/**
 * Log drivers and their options as dockerd takes them (`--log-driver`, `--log-opt`,
 * HostConfig.LogConfig): which drivers exist, which option keys each accepts, how the daemon's
 * default merges into a container's, and the values parsed into rotation settings. Pure; the
 * messages are dockerd's, so clients show the same errors. Errors: invalid-argument with reason
 * `unknown-log-driver`, `unknown-log-opt` or `invalid-log-opt`.
 */
import { errors } from '../../base/errors.js';
import { parseByteSize } from '../../base/byte-size.js';
import { checkLogAttributeOptions } from './log-attributes.js';

/**
 * `json-file` (Docker's default and berth's), `local` (berth keeps it as k8s-file), `none`, and
 * `k8s-file` (conmon's own file, what berth wrote before it had drivers; one size cap, no rotation).
 */
export const LOG_DRIVERS = ['json-file', 'local', 'none', 'k8s-file'] as const;
export type LogDriver = (typeof LOG_DRIVERS)[number];

/** Docker's LogConfig as a client sends it: `Type` may be empty (the daemon's default). */
export interface LogConfigRequest {
  type?: string;
  config?: Record<string, string>;
}

/** A driver with its options as given (the daemon's merged in), as a container records them. */
export interface LogSettings {
  driver: LogDriver;
  options: Record<string, string>;
}

/** How a driver's files rotate: `maxSize` -1 = never; `maxFile` counts the current file too. */
export interface RotationSettings {
  maxSize: number;
  maxFile: number;
  compress: boolean;
}

/** Size at which a k8s-file log starts afresh unless `max-size` says otherwise (berth's old default). */
export const DEFAULT_K8S_FILE_MAX_SIZE = 20 * 1024 * 1024;

const OPTION_KEYS: Record<Exclude<LogDriver, 'none'>, readonly string[]> = {
  'json-file': ['max-file', 'max-size', 'compress', 'labels', 'labels-regex', 'env', 'env-regex', 'tag'],
  local: ['max-file', 'max-size', 'compress'],
  'k8s-file': ['max-size'],
};

const invalid = (message: string): Error => errors.invalidArgument('invalid-log-opt', message);

/** Go's strconv.Atoi, with its error text. */
export function goAtoi(text: string): number {
  if (!/^[+-]?\d+$/.test(text)) throw invalid(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw invalid(`strconv.Atoi: parsing ${JSON.stringify(text)}: value out of range`);
  return value;
}

/** Go's strconv.ParseBool, with its error text. */
export function goParseBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw invalid(`strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}

const DECIMAL: Record<string, number> = { '': 1, k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15 };

/** docker/go-units FromHumanSize: decimal units (`10m` = 10,000,000 bytes), `invalid size: '…'`. */
export function fromHumanSize(text: string): number {
  const match = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (match === null) throw invalid(`invalid size: '${text}'`);
  const number = match[1] ?? '';
  if (!/^\d+(?:\.\d+)?$/.test(number)) throw invalid(`strconv.ParseFloat: parsing ${JSON.stringify(number)}: invalid syntax`);
  return Math.trunc(Number(number) * (DECIMAL[(match[2] ?? '').toLowerCase()] ?? 1));
}

/**
 * A daemon's default (`--log-driver`, repeatable `--log-opt key=value`), checked as a container's
 * would be. Throws invalid-argument as checkLogSettings, and (`invalid-log-opt`) for a flag without `=`.
 */
export function daemonLogSettings(driver: string, opts: readonly string[]): LogSettings {
  const options: Record<string, string> = {};
  for (const opt of opts) {
    const at = opt.indexOf('=');
    if (at <= 0) throw invalid(`--log-opt ${opt}: want key=value`);
    options[opt.slice(0, at)] = opt.slice(at + 1);
  }
  return checkLogSettings(driver, options);
}

/** The driver named so, or dockerd's error for a plugin it cannot find. */
export function logDriverNamed(name: string): LogDriver {
  const driver = LOG_DRIVERS.find((d) => d === name);
  if (driver === undefined) throw errors.invalidArgument('unknown-log-driver', `error looking up logging plugin ${name}: plugin "${name}" not found`);
  return driver;
}

/**
 * dockerd's mergeAndVerifyLogConfig: an empty type is the daemon's; when the type is the daemon's,
 * the daemon's options fill the keys the container's lack. Then the keys and values are checked.
 */
export function resolveLogSettings(request: LogConfigRequest | undefined, daemonDefault: LogSettings): LogSettings {
  const type = request?.type === undefined || request.type === '' ? daemonDefault.driver : request.type;
  const options = { ...(request?.config ?? {}) };
  if (type === daemonDefault.driver) {
    for (const [key, value] of Object.entries(daemonDefault.options)) if (!(key in options)) options[key] = value;
  }
  return checkLogSettings(type, options);
}

/** Checks a driver's name, option keys and values (sizes, counts, patterns, tag). Returns them typed. */
export function checkLogSettings(type: string, options: Record<string, string>): LogSettings {
  const driver = logDriverNamed(type);
  if (driver !== 'none') {
    for (const key of Object.keys(options)) {
      if (OPTION_KEYS[driver].includes(key)) continue;
      throw errors.invalidArgument('unknown-log-opt', driver === 'json-file'
        ? `unknown log opt '${key}' for json-file log driver`
        : `unknown log opt '${key}' for log driver ${driver}`);
    }
  }
  if (driver === 'json-file') {
    jsonFileRotation(options);
    checkLogAttributeOptions(options);
  }
  if (driver === 'local') localRotation(options);
  if (driver === 'k8s-file') k8sFileMaxSize(options);
  return { driver, options };
}

/** json-file: no rotation unless `max-size`; `max-file` 1; no compression (Docker's defaults). */
export function jsonFileRotation(options: Record<string, string>): RotationSettings {
  let maxSize = -1;
  const size = options['max-size'];
  if (size !== undefined) {
    maxSize = fromHumanSize(size);
    if (maxSize <= 0) throw invalid('max-size must be a positive number');
  }
  let maxFile = 1;
  const files = options['max-file'];
  if (files !== undefined) {
    maxFile = goAtoi(files);
    if (maxFile < 1) throw invalid('max-file cannot be less than 1');
  }
  const compressText = options.compress;
  const compress = compressText === undefined ? false : goParseBool(compressText);
  if (compress && (maxFile === 1 || maxSize === -1)) throw invalid('compress cannot be true when max-file is less than 2 or max-size is not set');
  return { maxSize, maxFile, compress };
}

/** local: 20 MiB × 5 files, compressed, unless the options say otherwise (Docker's defaults). */
export function localRotation(options: Record<string, string>): RotationSettings {
  const settings: RotationSettings = { maxSize: 20 * 1024 * 1024, maxFile: 5, compress: true };
  const size = options['max-size'];
  if (size !== undefined) settings.maxSize = wrapped(() => fromHumanSize(size), `invalid value for max-size: ${size}: `);
  const files = options['max-file'];
  if (files !== undefined) settings.maxFile = wrapped(() => goAtoi(files), `invalid value for max-file: ${files}: `);
  const compress = options.compress;
  if (compress !== undefined) settings.compress = wrapped(() => goParseBool(compress), 'error reading compress log option: ');
  if (settings.maxFile < 0) throw invalid('max file count cannot be less than 0');
  if (settings.compress && settings.maxFile <= 1) throw invalid('compression cannot be enabled when max file count is 1');
  return settings;
}

/** k8s-file: conmon's cap on its one file (binary units, `-1` = none; default 20 MiB). */
export function k8sFileMaxSize(options: Record<string, string>): number {
  const size = options['max-size'];
  if (size === undefined) return DEFAULT_K8S_FILE_MAX_SIZE;
  return size === '-1' ? -1 : parseByteSize(size, 'log-opt max-size');
}

function wrapped<T>(parse: () => T, prefix: string): T {
  try {
    return parse();
  } catch (err) {
    throw invalid(`${prefix}${err instanceof Error ? err.message : String(err)}`);
  }
}
