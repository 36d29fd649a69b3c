/**
 * BerthErrors across the cluster port: a manager answers `{ message, kind, reason }` with a status
 * per kind; a node rebuilds the same BerthError from that body. Errors that are not BerthErrors
 * answer 500 with a fixed message (nothing of the manager's internals leaves it).
 */
import { HTTP_STATUS_OF_KIND } from '../../base/error-status.js';
import { BerthError, ERROR_KINDS, isBerthError, type ErrorKind } from '../../base/errors.js';


export interface ErrorAnswer {
  readonly status: number;
  readonly body: { readonly message: string; readonly kind: ErrorKind; readonly reason: string };
}

/** The answer for any error thrown while serving a route. */
export function errorAnswer(err: unknown): ErrorAnswer {
  if (isBerthError(err)) {
    return { status: HTTP_STATUS_OF_KIND[err.kind], body: { message: err.message, kind: err.kind, reason: err.reason } };
  }
  return { status: 500, body: { message: 'the manager failed to answer (internal error)', kind: 'internal', reason: 'internal-error' } };
}

function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

/** The kind an error status stands for when the body does not say. */
function kindOfStatus(status: number): ErrorKind {
  const kind = (Object.keys(HTTP_STATUS_OF_KIND) as ErrorKind[]).find((k) => HTTP_STATUS_OF_KIND[k] === status);
  return kind ?? (status < 500 ? 'invalid-argument' : 'internal');
}

/** The BerthError a manager answered with (status ≥ 400), as the manager raised it. */
export function errorFromAnswer(status: number, text: string, what: string): BerthError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's page, a cut answer; JSON.parse throws nothing else): the error is then
    // made from the status alone.
    body = undefined;
  }
  if (typeof body === 'object' && body !== null && 'message' in body && 'kind' in body && 'reason' in body
    && typeof body.message === 'string' && typeof body.reason === 'string' && isErrorKind(body.kind)) {
    return new BerthError(body.kind, body.reason, body.message, { details: { status } });
  }
  return new BerthError(kindOfStatus(status), `cluster-port-${status}`, `${what}: HTTP ${status}`, { details: { status } });
}
