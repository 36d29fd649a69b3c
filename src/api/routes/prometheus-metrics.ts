import type { FastifyInstance } from 'fastify';
import type { NodeMetrics } from '../../metrics/index.js';

/**
 * `GET /metrics`: the node's Prometheus metrics (metrics/), and the hook that counts and times
 * every request by its route pattern. Register before the other routes so the hook sees them all.
 */
export function prometheusRoutes(app: FastifyInstance, metrics: NodeMetrics): void {
  app.addHook('onResponse', (request, reply, done) => {
    metrics.api.observe(request.method, request.routeOptions.url, request.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.get('/metrics', async (_request, reply) => {
    await reply.header('content-type', metrics.contentType).send(await metrics.text());
  });
}
