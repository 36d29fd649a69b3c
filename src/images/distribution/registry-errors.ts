/**
 * A registry's error answer → BerthError. The distribution spec's body is
 * `{"errors": [{"code": "MANIFEST_UNKNOWN", "message": "…"}]}`; the HTTP status picks the kind.
 */
import { z } from 'zod';
import { BerthError, type ErrorKind } from '../../base/errors.js';

const errorBodySchema = z.object({ errors: z.array(z.object({ code: z.string().optional(), message: z.string().optional() }).loose()) }).loose();

function kindOf(status: number): ErrorKind {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'permission-denied';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'resource-exhausted';
  if (status >= 500) return 'unavailable';
  return 'invalid-argument';
}

/** The error for a registry's answer `status` with `body` to `what` (e.g. `manifest busybox:latest`). */
export function registryError(status: number, body: Buffer, what: string, domain: string): BerthError {
  let detail = '';
  let code: string | undefined;
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body.toString('utf8')));
    if (parsed.success) {
      const first = parsed.data.errors[0];
      code = first?.code;
      detail = parsed.data.errors.map((e) => [e.code?.toLowerCase().replace(/_/g, ' '), e.message].filter(Boolean).join(': ')).join('; ');
    }
  } catch {
    // Not JSON (a proxy's HTML page, plain text): its first bytes are the detail.
    detail = body.toString('utf8').slice(0, 200).trim();
  }
  const kind = kindOf(status);
  const reason = kind === 'unauthenticated' ? 'registry-unauthenticated' : kind === 'permission-denied' ? 'registry-denied' : `registry-${status}`;
  const message = `${domain}: ${what}: ${detail !== '' ? detail : `HTTP ${status}`}`;
  return new BerthError(kind, reason, message, { details: { status, ...(code !== undefined && { code }) } });
}
