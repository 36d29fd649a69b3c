/**
 * The audit trail's files: `<dir>/audit-000001.jsonl`, `audit-000002.jsonl`, … one JSON record
 * per line, oldest file first. Reading never stops at a bad line: it is returned as such, for
 * `verify` to name.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode } from '../../base/errors.js';
import { storedRecordSchema, type StoredRecord } from './audit-record.js';

const FILE_NAME = /^audit-(\d{6,})\.jsonl$/;

export function auditFileName(index: number): string {
  return `audit-${String(index).padStart(6, '0')}.jsonl`;
}

/** The indexes of the files in `dir`, ascending (none when the directory does not exist). */
export async function auditFileIndexes(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  return names.map((name) => FILE_NAME.exec(name)?.[1]).filter((n): n is string => n !== undefined).map(Number).sort((a, b) => a - b);
}

export interface AuditLine {
  readonly file: string;
  /** 1-based line number in its file. */
  readonly line: number;
  /** The record, or undefined when the line is not one. */
  readonly record: StoredRecord | undefined;
}

/** Every line of every file, in order. */
export async function readAuditLines(dir: string): Promise<AuditLine[]> {
  const lines: AuditLine[] = [];
  for (const index of await auditFileIndexes(dir)) {
    const file = auditFileName(index);
    const text = await readFile(join(dir, file), 'utf8');
    const rows = text.split('\n');
    if (rows.at(-1) === '') rows.pop();
    rows.forEach((row, i) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(row);
      } catch {
        parsed = undefined; // not JSON: a line that is no record, which verification reports as altered
      }
      const result = storedRecordSchema.safeParse(parsed);
      // The parsed JSON itself, not zod's copy: its key order is what was hashed.
      lines.push({ file, line: i + 1, record: result.success ? parsed as StoredRecord : undefined });
    });
  }
  return lines;
}
