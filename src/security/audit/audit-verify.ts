/**
 * Proves the trail whole, or names the first record that is not: a line that is no record, a
 * record whose hash does not match its content (altered), a sequence number that skips
 * (removed) or steps back (reordered), or a `prev` that is not the hash before it (the chain
 * broken: a record removed or reordered and the rest rehashed, or one inserted).
 */
import { readAuditLines } from './audit-files.js';
import { GENESIS_HASH, hashOf, withoutHash } from './audit-record.js';

export interface VerifyResult {
  ok: boolean;
  /** Records checked (up to the first bad one). */
  records: number;
  files: number;
  /** Where and what the first problem is. */
  problem?: { file: string; line: number; seq?: number; message: string };
}

export async function verifyAuditTrail(dir: string): Promise<VerifyResult> {
  const lines = await readAuditLines(dir);
  const files = new Set(lines.map((line) => line.file)).size;
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  let checked = 0;
  const present = new Set(lines.map((line) => line.record?.seq));
  for (const { file, line, record } of lines) {
    const fail = (message: string, seq?: number): VerifyResult => ({ ok: false, records: checked, files, problem: { file, line, ...(seq === undefined ? {} : { seq }), message: `${file} line ${line}: ${message}` } });
    if (record === undefined) return fail('not an audit record (altered)');
    const at = `record ${record.seq}`;
    if (hashOf(withoutHash(record)) !== record.hash) return fail(`${at} was altered (its hash does not match its content)`, record.seq);
    if (record.seq <= prevSeq) return fail(`${at} is out of order (after record ${prevSeq})`, record.seq);
    if (record.seq > prevSeq + 1 && present.has(prevSeq + 1)) return fail(`record ${prevSeq + 1} is out of order (${at} comes before it)`, prevSeq + 1);
    if (record.seq > prevSeq + 1) return fail(`${prevSeq + 1 === record.seq - 1 ? `record ${prevSeq + 1} was` : `records ${prevSeq + 1} to ${record.seq - 1} were`} removed (${at} follows record ${prevSeq})`, prevSeq + 1);
    if (record.prev !== prevHash) return fail(`${at} does not follow record ${prevSeq} (record ${prevSeq} was altered and rehashed, or records were removed, reordered or inserted here)`, record.seq);
    prevHash = record.hash;
    prevSeq = record.seq;
    checked += 1;
  }
  return { ok: true, records: checked, files };
}
