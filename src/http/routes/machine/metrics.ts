import type { FastifyInstance } from 'fastify';

/** GET /metrics for Prometheus: counts and gauges only, never a caller's number (observability/metrics.ts). */
export async function metricsRoute(app: FastifyInstance): Promise<void> {
  app.get('/metrics', async (_request, reply) =>
    reply.type(app.metricsRegistry.contentType).send(await app.metricsText()),
  );
}
