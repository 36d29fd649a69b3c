import { BerthError, isBerthError, type ErrorKind } from '../base/errors.js';

/** The error codes of the OCI distribution spec (plus TAG_INVALID, which clients also know). */
export const REGISTRY_ERROR_CODES = {
  BLOB_UNKNOWN: { status: 404, kind: 'not-found', message: 'blob unknown to registry' },
  BLOB_UPLOAD_INVALID: { status: 400, kind: 'invalid-argument', message: 'blob upload invalid' },
  BLOB_UPLOAD_UNKNOWN: { status: 404, kind: 'not-found', message: 'blob upload unknown to registry' },
  DIGEST_INVALID: { status: 400, kind: 'invalid-argument', message: 'provided digest did not match uploaded content' },
  MANIFEST_BLOB_UNKNOWN: { status: 404, kind: 'failed-precondition', message: 'manifest references a manifest or blob unknown to registry' },
  MANIFEST_INVALID: { status: 400, kind: 'invalid-argument', message: 'manifest invalid' },
  MANIFEST_UNKNOWN: { status: 404, kind: 'not-found', message: 'manifest unknown to registry' },
  NAME_INVALID: { status: 400, kind: 'invalid-argument', message: 'invalid repository name' },
  NAME_UNKNOWN: { status: 404, kind: 'not-found', message: 'repository name not known to registry' },
  SIZE_INVALID: { status: 400, kind: 'invalid-argument', message: 'provided length did not match content length' },
  TAG_INVALID: { status: 400, kind: 'invalid-argument', message: 'manifest tag did not match URI' },
  UNAUTHORIZED: { status: 401, kind: 'unauthenticated', message: 'authentication required' },
  DENIED: { status: 403, kind: 'permission-denied', message: 'requested access to the resource is denied' },
  UNSUPPORTED: { status: 405, kind: 'failed-precondition', message: 'the operation is unsupported' },
  TOOMANYREQUESTS: { status: 429, kind: 'resource-exhausted', message: 'too many requests' },
  RANGE_INVALID: { status: 416, kind: 'invalid-argument', message: 'requested range not satisfiable' },
  UNAVAILABLE: { status: 503, kind: 'unavailable', message: 'service unavailable' },
} as const satisfies Record<string, { status: number; kind: ErrorKind; message: string }>;

export type RegistryErrorCode = keyof typeof REGISTRY_ERROR_CODES;

/** A BerthError whose reason is a registry error code; `detail` goes into the JSON answer. */
export function registryError(code: RegistryErrorCode, message: string, detail?: Record<string, unknown>): BerthError {
  return new BerthError(REGISTRY_ERROR_CODES[code].kind, code, message, detail === undefined ? {} : { details: detail });
}

function isCode(reason: string): reason is RegistryErrorCode {
  return Object.hasOwn(REGISTRY_ERROR_CODES, reason);
}

/** Fallback codes for errors of the layers below (store, oci) by reason, then by kind. */
const BY_REASON: Record<string, RegistryErrorCode> = {
  'digest-mismatch': 'DIGEST_INVALID',
  'size-mismatch': 'SIZE_INVALID',
  'blob-not-found': 'BLOB_UNKNOWN',
  'invalid-json': 'MANIFEST_INVALID',
  'invalid-document': 'MANIFEST_INVALID',
  'digest-format': 'DIGEST_INVALID',
  'digest-algorithm': 'DIGEST_INVALID',
};
const BY_KIND: Partial<Record<ErrorKind, RegistryErrorCode>> = {
  'invalid-argument': 'UNSUPPORTED',
  'not-found': 'NAME_UNKNOWN',
  unauthenticated: 'UNAUTHORIZED',
  'permission-denied': 'DENIED',
  'resource-exhausted': 'TOOMANYREQUESTS',
  unavailable: 'UNAVAILABLE',
};

export interface RegistryErrorAnswer {
  status: number;
  body: { errors: { code: string; message: string; detail?: unknown }[] };
}

/** Translates any error into the spec's `{"errors":[{code,message,detail}]}` and a status. */
export function registryErrorAnswer(err: unknown): RegistryErrorAnswer {
  if (isBerthError(err)) {
    const code = isCode(err.reason) ? err.reason : (BY_REASON[err.reason] ?? BY_KIND[err.kind]);
    if (code !== undefined) {
      const status = code === 'UNSUPPORTED' && err.kind === 'invalid-argument' && !isCode(err.reason) ? 400 : REGISTRY_ERROR_CODES[code].status;
      const detail = Object.keys(err.details).length > 0 ? err.details : undefined;
      return { status, body: { errors: [{ code, message: err.message, ...(detail !== undefined && { detail }) }] } };
    }
  }
  const status = typeof err === 'object' && err !== null && 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
  const message = err instanceof Error ? err.message : String(err);
  return { status, body: { errors: [{ code: status === 500 ? 'UNKNOWN' : 'UNSUPPORTED', message }] } };
}
