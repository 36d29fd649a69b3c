/**
 * One line of the audit trail. Records form a hash chain: each carries `prev`, the hash of the
 * record before it (the first of all: 64 zeros), and `hash` = sha256(prev + the JSON of the record
 * without `hash`). `seq` counts records from 1 across files, so a removed or swapped record shows
 * as a gap or a step back even where the hashes were recomputed from that point on.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const GENESIS_HASH = '0'.repeat(64);

const whoSchema = z.strictObject({
  /** socket, certificate or token; anonymous for a request refused for want of an identity (401). */
  kind: z.string(),
  name: z.string(),
  role: z.string(),
  uid: z.number().optional(),
  /** Where from: `unix socket (pid 123)`, `10.0.0.5:51234`. */
  source: z.string(),
});

const requestSchema = z.strictObject({
  seq: z.number().int().positive(),
  time: z.string(),
  prev: z.string(),
  type: z.literal('request'),
  /** Pairs the request with its outcome. */
  id: z.string(),
  who: whoSchema,
  method: z.string(),
  route: z.string(),
  path: z.string(),
  /** The container, image, volume, … the route names (its `:id`, `:name` or `*`). */
  object: z.string().optional(),
  /** The body, summarized: secrets and environment values redacted, long values cut. */
  body: z.unknown().optional(),
});

const outcomeSchema = z.strictObject({
  seq: z.number().int().positive(),
  time: z.string(),
  prev: z.string(),
  type: z.literal('outcome'),
  id: z.string(),
  /** The HTTP status, or 101 for a hijacked stream (ended when the connection closed). */
  status: z.number().int(),
  error: z.string().optional(),
});

/** An admission policy's decision (security/admission/): the rules a create, update, pull or build broke. */
const policySchema = z.strictObject({
  seq: z.number().int().positive(),
  time: z.string(),
  prev: z.string(),
  type: z.literal('policy'),
  /** create, update, pull or build. */
  operation: z.string(),
  /** The image as the client named it. */
  image: z.string(),
  /** refused (an enforce rule), warned or audited. */
  decision: z.enum(['refused', 'warned', 'audited']),
  /** One message per broken rule: `policy rule "no-privileged" (enforce): HostConfig.Privileged is true`. */
  violations: z.array(z.string()),
});

export const storedRecordSchema = z.discriminatedUnion('type', [
  requestSchema.extend({ hash: z.string() }),
  outcomeSchema.extend({ hash: z.string() }),
  policySchema.extend({ hash: z.string() }),
]);

export type AuditWho = z.infer<typeof whoSchema>;
export type RequestRecord = z.infer<typeof requestSchema>;
export type OutcomeRecord = z.infer<typeof outcomeSchema>;
export type PolicyRecord = z.infer<typeof policySchema>;
export type AuditRecord = RequestRecord | OutcomeRecord | PolicyRecord;
export type StoredRecord = z.infer<typeof storedRecordSchema>;

/** What a caller appends: the log fills in seq, time and prev. */
export type RequestEntry = Omit<RequestRecord, 'seq' | 'time' | 'prev'>;
export type OutcomeEntry = Omit<OutcomeRecord, 'seq' | 'time' | 'prev'>;
export type PolicyEntry = Omit<PolicyRecord, 'seq' | 'time' | 'prev'>;
export type AuditEntry = RequestEntry | OutcomeEntry | PolicyEntry;

/** The hash of `record` (without its own hash) after `record.prev`. */
export function hashOf(record: AuditRecord): string {
  return createHash('sha256').update(record.prev).update(JSON.stringify(record)).digest('hex');
}

/** The record without its hash, in the order it was written (JSON.parse keeps key order). */
export function withoutHash(stored: StoredRecord): AuditRecord {
  const { hash: _hash, ...record } = stored;
  return record;
}
