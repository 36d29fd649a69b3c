import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { HTTP_STATUS_OF_KIND } from '../base/error-status.js';
import { type BerthError, isBerthError } from '../base/errors.js';
import { INPUT_LIMITS } from './input-limits.js';


/** Reasons dockerd answers with a status of their own. */
const REASON_STATUS: Readonly<Record<string, number>> = {
  /** `logs` of a container whose log driver keeps nothing: 501, as dockerd. */
  'logs-not-readable': 501,
};

export function statusOf(err: BerthError): number {
  return REASON_STATUS[err.reason] ?? HTTP_STATUS_OF_KIND[err.kind];
}

/** Translates any error into Docker's JSON error body `{"message": …}` with the right status. */
export function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (isBerthError(err)) {
    const status = statusOf(err);
    if (status >= 500) request.log.error({ err, method: request.method, url: request.originalUrl }, 'request failed');
    void reply.status(status).send({ message: err.message });
    return;
  }
  const fastifyError = err as Partial<FastifyError>;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    void reply.status(413).send({ message: `request body is larger than ${INPUT_LIMITS.jsonBodyBytes} bytes, the limit for a JSON body` });
    return;
  }
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  if (status >= 500) request.log.error({ err, method: request.method, url: request.originalUrl }, 'request failed');
  void reply.status(status).send({ message: fastifyError.message ?? String(err) });
}
