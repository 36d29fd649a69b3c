/**
 * `berth audit ls`: the requests of the trail, each with its outcome, filtered by time, user
 * (identity name, exact or a substring) and object (exact, or an id prefix).
 */
import { readAuditLines } from './audit-files.js';
import type { OutcomeRecord, RequestRecord } from './audit-record.js';

export interface AuditQuery {
  since?: Date;
  user?: string;
  object?: string;
}

export interface AuditEntryView {
  request: RequestRecord;
  outcome?: OutcomeRecord;
}

export async function queryAuditTrail(dir: string, query: AuditQuery): Promise<AuditEntryView[]> {
  const entries = new Map<string, AuditEntryView>();
  for (const { record } of await readAuditLines(dir)) {
    if (record === undefined) continue;
    const { hash: _hash, ...plain } = record;
    if (plain.type === 'request') entries.set(plain.id, { request: plain });
    else if (plain.type === 'outcome') {
      const entry = entries.get(plain.id);
      if (entry !== undefined) entry.outcome = plain;
    }
  }
  return [...entries.values()].filter(({ request }) =>
    (query.since === undefined || Date.parse(request.time) >= query.since.getTime())
    && (query.user === undefined || request.who.name === query.user || request.who.name.includes(query.user))
    && (query.object === undefined || (request.object !== undefined && (request.object === query.object || request.object.startsWith(query.object)))));
}
