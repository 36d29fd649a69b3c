/** Compose's units: durations (`1m30s`, `500ms`) and byte sizes (`512m`, `1g`, `1024`). */
import { FieldValueError, type FieldPath } from './field-error.js';

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go-style duration → nanoseconds. Throws invalid-argument (FieldValueError) for the field at `where`. */
export function durationNs(text: string | number, where: FieldPath): number {
  if (typeof text === 'number') return Math.round(text * 1e9);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) throw new FieldValueError('compose-duration', where, `invalid duration "${text}"`);
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * (DURATION_UNITS[p[2] ?? 's'] ?? 1), 0));
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `512m`, `1gb`, `2048` → bytes. Throws invalid-argument (FieldValueError) for the field at `where`. */
export function sizeBytes(text: string | number, where: FieldPath): number {
  if (typeof text === 'number') return text;
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const factor = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (match === null || factor === undefined) throw new FieldValueError('compose-size', where, `invalid size "${text}"`);
  return Math.round(Number(match[1]) * factor);
}
