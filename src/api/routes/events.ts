/**
 * `GET /events`: the node's events as newline-delimited JSON. With `since` or `until` (as dockerd:
 * `until` alone, or `since=0`, means from the epoch), recorded events from then come first; the
 * stream then follows new events until `until` has passed (at once for an `until` in the past) or
 * the client goes away. `filters` as Docker's (events/event-filter.ts).
 */
import { once } from 'node:events';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { EventLog } from '../../events/event-log.js';
import { parseEventTime } from '../../events/event-time.js';
import { eventJson } from '../event-view.js';
import { queryFilters, queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query }>;

export function eventRoutes(app: FastifyInstance, log: EventLog): void {
  app.get('/events', async (request: Request, reply) => {
    const now = new Date();
    const sinceText = queryString(request.query, 'since');
    const untilText = queryString(request.query, 'until');
    const since = parseEventTime(sinceText, now, 'since');
    const until = parseEventTime(untilText, now, 'until');
    if (until !== undefined && since !== undefined && until < since) {
      throw errors.invalidArgument('since-after-until', `\`since\` time (${sinceText ?? ''}) cannot be after \`until\` time (${untilText ?? ''})`);
    }
    const sinceNs = since ?? (until === undefined ? undefined : 0n);
    // dockerd reads `until=0` as no upper bound on the recorded events, and does not follow.
    const untilNs = until === 0n ? BigInt(now.getTime()) * 1_000_000n : until;
    const filters = queryFilters(request.query);
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
    } catch (err) {
      // The client went away while a write waited; any other failure cuts the stream short.
      if (!aborter.signal.aborted) request.log.warn({ err }, 'following the events for a client failed');
    }
    reply.raw.end();
  });
}
