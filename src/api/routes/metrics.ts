import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';

/**
 * `GET /berth/v1/metrics`: berthd's Prometheus metrics (text exposition format), gathered from the
 * registries of the parts that keep metrics (today: vulnerability rescans).
 */
export function metricsRoutes(app: FastifyInstance, registries: readonly Registry[]): void {
  const merged = registries.length === 0 ? new Registry() : Registry.merge([...registries]);
  app.get('/berth/v1/metrics', async (_request, reply) => {
    await reply.header('content-type', merged.contentType).send(await merged.metrics());
  });
}
