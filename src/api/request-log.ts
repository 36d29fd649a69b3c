/**
 * With berthd's logger: one debug line per request when its response ends (method, URL, status,
 * milliseconds); an answer of 500 or more also logs its error (`errors.ts`). Each line carries the
 * request's `reqId`, as every line a route writes through `request.log` does. Client errors (4xx)
 * are the client's business and are not logged.
 */
import type { FastifyInstance } from 'fastify';

export function logRequests(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.debug({ method: request.method, url: request.originalUrl, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });
}
