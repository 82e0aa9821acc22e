import type { FastifyInstance } from 'fastify';

export type ReadinessReport = Record<string, unknown>;
export type HealthOptions = { extraReadiness?: () => ReadinessReport };

/** Liveness says the process answers; readiness says it has tables to route with. */
export async function healthRoutes(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get('/healthz', { config: { synchronous: true }, schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const table = app.tables.table;
    const body = {
      ready: table !== null,
      datasetVersion: table?.version ?? null,
      source: app.tables.source,
      sample: table?.sample ?? null,
      loadedAt: app.tables.loadedAt === null ? null : new Date(app.tables.loadedAt).toISOString(),
      ...options.extraReadiness?.(),
    };
    return reply.code(table ? 200 : 503).send(body);
  });
}
