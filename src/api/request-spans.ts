/**
 * With BERTH_TRACE set (base/trace-spans.ts), one span per API request, named by its method and
 * route pattern (`http POST /containers/:id/start`), from its arrival until its response is sent.
 * Upgraded streams (attach, exec) end at the upgrade.
 */
import type { FastifyInstance } from 'fastify';
import { recordSpan } from '../base/trace-spans.js';

const STARTS = new WeakMap<object, number>();

export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    STARTS.set(request.raw, performance.now());
    done();
  });
  app.addHook('onResponse', (request, _reply, done) => {
    const start = STARTS.get(request.raw);
    if (start !== undefined) recordSpan(`http ${request.method} ${request.routeOptions.url ?? request.url}`, start);
    done();
  });
}
