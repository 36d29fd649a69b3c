/**
 * `GET /events`: the node's events as newline-delimited JSON. With `since`, recorded events from
 * then come first; the stream then follows new events until `until` has passed (at once for an
 * `until` in the past) or the client goes away. `filters` as Docker's (events/event-filter.ts).
 */
import { once } from 'node:events';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkEventFilters } from '../../events/event-filter.js';
import type { EventLog } from '../../events/event-log.js';
import { parseEventTime } from '../../events/event-time.js';
import { eventJson } from '../event-view.js';
import { queryFilters, queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query }>;

export function eventRoutes(app: FastifyInstance, log: EventLog): void {
  app.get('/events', async (request: Request, reply) => {
    const now = new Date();
    const sinceNs = parseEventTime(queryString(request.query, 'since'), now, 'since');
    const untilNs = parseEventTime(queryString(request.query, 'until'), now, 'until');
    const filters = queryFilters(request.query);
    checkEventFilters(filters);
    const aborter = new AbortController();
    reply.raw.once('close', () => { aborter.abort(); });
    void reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': 'application/json' });
    reply.raw.flushHeaders();
    try {
      await log.follow({
        ...(sinceNs === undefined ? {} : { sinceNs }), ...(untilNs === undefined ? {} : { untilNs }), filters, signal: aborter.signal,
      }, async (event) => {
        if (!reply.raw.write(`${eventJson(event)}\n`)) await once(reply.raw, 'drain', { signal: aborter.signal });
      });
    } catch {
      // The client went away while a write waited.
    }
    reply.raw.end();
  });
}
