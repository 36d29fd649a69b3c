import { cvss3BaseScore, ratingOf, type Severity } from './cvss.js';
import type { OsvAffected, OsvRecord, OsvSeverity } from './osv-schema.js';

const WORDS: Record<string, Severity> = { CRITICAL: 'CRITICAL', HIGH: 'HIGH', IMPORTANT: 'HIGH', MEDIUM: 'MEDIUM', MODERATE: 'MEDIUM', LOW: 'LOW', NEGLIGIBLE: 'LOW', MINOR: 'LOW' };

function fromVectors(list: OsvSeverity[] | undefined): { severity: Severity; score: number } | undefined {
  for (const s of list ?? []) {
    if (s.type !== 'CVSS_V3') continue;
    const score = cvss3BaseScore(s.score);
    if (score !== undefined) return { severity: ratingOf(score), score };
  }
  return undefined;
}

function fromWord(fields: Record<string, unknown> | undefined): Severity | undefined {
  const value = fields?.severity ?? fields?.urgency;
  return typeof value === 'string' ? WORDS[value.toUpperCase()] : undefined;
}

/**
 * A finding's severity: the CVSS v3 base score of the affected entry's vector, else the record's,
 * else a database_specific / ecosystem_specific severity word (GitHub's MODERATE is MEDIUM),
 * else UNKNOWN.
 */
export function severityOf(record: OsvRecord, affected: OsvAffected): { severity: Severity; score?: number } {
  const scored = fromVectors(affected.severity) ?? fromVectors(record.severity);
  if (scored) return scored;
  const word = fromWord(affected.ecosystem_specific) ?? fromWord(affected.database_specific) ?? fromWord(record.database_specific);
  return { severity: word ?? 'UNKNOWN' };
}
