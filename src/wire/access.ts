/**
 * berthd's bearer tokens on the wire (`/berth/v1/tokens`): what `berth token` sends and shows.
 * The token itself appears once, in the answer that created it.
 */
import { z } from 'zod';

export const tokenCreateBodySchema = z.strictObject({
  Name: z.string(),
  Role: z.string(),
  /** Seconds from now; absent: never expires. */
  ExpiresIn: z.number().int().positive().optional(),
});

export type TokenCreateBody = z.infer<typeof tokenCreateBodySchema>;

export interface TokenView {
  Name: string;
  Role: string;
  CreatedAt: string;
  /** Absent for a token that never expires. */
  ExpiresAt?: string;
}

export interface TokenCreated extends TokenView {
  /** The secret (`berth_…`), for `Authorization: Bearer …`; berthd keeps only its hash. */
  Token: string;
}

/** A request in the audit trail (`GET /berth/v1/audit`), with the outcome appended after it. */
export interface AuditRequestView {
  seq: number;
  time: string;
  id: string;
  who: { kind: string; name: string; role: string; uid?: number; source: string };
  method: string;
  route: string;
  path: string;
  object?: string;
  body?: unknown;
}

export interface AuditOutcomeView {
  seq: number;
  time: string;
  status: number;
  error?: string;
}

export interface AuditEntryView {
  request: AuditRequestView;
  outcome?: AuditOutcomeView;
}

/** `GET /berth/v1/audit/verify`. */
export interface AuditVerification {
  ok: boolean;
  records: number;
  files: number;
  problem?: { file: string; line: number; seq?: number; message: string };
}
