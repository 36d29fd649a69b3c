/**
 * The API's answers translated back into BerthErrors: the HTTP status of a Docker error body
 * (`{"message": …}`) gives the kind, the message is kept as the daemon wrote it; failures to reach
 * the socket become unavailable (or permission-denied) naming the socket.
 */
import { BerthError, errnoCode, type ErrorKind } from '../base/errors.js';

/** The inverse of the API's kind → status table (several kinds share 409 and 500: conflict, internal). */
export function kindOfStatus(status: number): ErrorKind {
  switch (status) {
    case 400: return 'invalid-argument';
    case 401: return 'unauthenticated';
    case 403: return 'permission-denied';
    case 404: return 'not-found';
    case 409: return 'conflict';
    case 429: return 'resource-exhausted';
    case 499: return 'canceled';
    case 503: return 'unavailable';
    default: return status >= 400 && status < 500 ? 'invalid-argument' : 'internal';
  }
}

/** The `message` of a Docker error body, or the body as text when it is not one. */
export function messageOfBody(body: Buffer): string {
  const text = body.toString('utf8').trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'message' in parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: the text itself
  }
  return text;
}

/** An error answer (status ≥ 400) as a BerthError with reason `api-<status>`. */
export function errorFromResponse(status: number, body: Buffer, what: string): BerthError {
  const message = messageOfBody(body);
  return new BerthError(kindOfStatus(status), `api-${status}`, message === '' ? `${what}: HTTP ${status}` : message, { details: { status } });
}

/** A failure to talk to the socket at all (no daemon, no permission, connection dropped). */
export function connectionError(err: unknown, socketPath: string): BerthError {
  const code = errnoCode(err);
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return new BerthError('unavailable', 'daemon-not-running',
      `cannot connect to berthd at unix://${socketPath}: is berthd running? Start it (berthd --socket ${socketPath}) or point --host / BERTH_HOST at its socket`,
      { cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new BerthError('permission-denied', 'socket-permission-denied', `permission denied connecting to berthd at unix://${socketPath} (run as root or a member of the socket's group)`, { cause: err });
  }
  if (err instanceof BerthError) return err;
  return new BerthError('unavailable', 'connection-failed', `connection to berthd at unix://${socketPath} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
