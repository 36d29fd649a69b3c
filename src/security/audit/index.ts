// The audit trail: a hash-chained, fsynced, append-only record of what changed through the API.
export { AuditLog, DEFAULT_AUDIT_FILE_BYTES, type AuditLogOptions } from './audit-log.js';
export { GENESIS_HASH, type AuditEntry, type AuditRecord, type AuditWho, type OutcomeRecord, type PolicyEntry, type RequestRecord } from './audit-record.js';
export { summarizeBody } from './body-summary.js';
export { verifyAuditTrail, type VerifyResult } from './audit-verify.js';
export { queryAuditTrail, type AuditEntryView, type AuditQuery } from './audit-query.js';
