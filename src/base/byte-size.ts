import { errors } from './errors.js';

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Docker's memory-size syntax (`512`, `64k`, `10m`, `1.5g`, `2GB`; binary units, case-insensitive).
 * Throws invalid-argument (`invalid-size`) naming `field`.
 */
export function parseByteSize(text: string, field: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (match === null || unit === undefined) throw errors.invalidArgument('invalid-size', `${field}: invalid size "${text}" (examples: 512k, 10m, 1g)`);
  const value = Math.floor(Number(match[1]) * unit);
  if (!Number.isSafeInteger(value)) throw errors.invalidArgument('invalid-size', `${field}: size "${text}" is too large`);
  return value;
}

/** Decimal units like Docker: 4.26MB, 1.2GB. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))}${units[unit] ?? ''}`;
}
