/**
 * Routes that look into a container without changing it: `stats` (streamed, about one sample a
 * second, or one), `top` and `changes`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isBerthError } from '../../base/errors.js';
import { setTimeout as delay } from 'node:timers/promises';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { isActive } from '../../engine/container-record.js';
import type { ContainerSample } from '../../engine/container-stats.js';
import { statsView } from '../container-stats-view.js';
import { queryBool, queryString, type Query } from '../query.js';
import type { ContainerTop } from '../../wire/containers.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string } }>;

/** Time between two samples of a stats stream (Docker's collector ticks once a second). */
export const STATS_INTERVAL_MS = 1000;

export function containerInspectionRoutes(app: FastifyInstance, engine: ContainerEngine): void {
  app.get('/containers/:id/stats', async (request: Request, reply) => {
    const { id } = engine.inspect(request.params.id);
    const stream = request.query.stream === undefined ? true : queryBool(request.query, 'stream');
    const oneShot = queryBool(request.query, 'one-shot');
    const aborter = new AbortController();
    request.raw.socket.once('close', () => { aborter.abort(); });
    const sample = async (): Promise<ContainerSample> => engine.stats(engine.inspect(id), new Date());
    if (!stream) {
      let previous: ContainerSample | undefined;
      if (!oneShot && isActive(engine.inspect(id).state)) {
        previous = await sample();
        // Aborted: the client went away; the second sample goes nowhere, as the answer does.
        await delay(STATS_INTERVAL_MS, undefined, { signal: aborter.signal }).catch(() => undefined);
      }
      const current = await sample();
      return reply.send(statsView(engine.inspect(id), current, previous));
    }
    void reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': 'application/json' });
    let previous: ContainerSample | undefined;
    try {
      while (!aborter.signal.aborted) {
        const current = await sample();
        reply.raw.write(`${JSON.stringify(statsView(engine.inspect(id), current, previous))}\n`);
        previous = current;
        await delay(STATS_INTERVAL_MS, undefined, { signal: aborter.signal });
      }
    } catch (err) {
      // The client went away (the wait aborted), or the container was removed: end the stream.
      if (!aborter.signal.aborted && !isBerthError(err, 'not-found')) request.log.warn({ err, id }, 'a stats stream failed');
    }
    reply.raw.end();
  });

  app.get('/containers/:id/top', async (request: Request, reply) => {
    const table = await engine.top(request.params.id, queryString(request.query, 'ps_args') ?? '-ef');
    return reply.send({ Titles: table.titles, Processes: table.processes } satisfies ContainerTop);
  });

  app.get('/containers/:id/changes', async (request: Request, reply) => {
    const changes = await engine.changes(request.params.id);
    return reply.send(changes.length === 0 ? null : changes.map((c) => ({ Path: c.path, Kind: c.kind })));
  });
}
