import type { FastifyInstance } from 'fastify';
import { publicStoreProblem } from '../../../store/storeFaults.js';

export type ReadinessReport = Record<string, unknown>;
export type HealthOptions = { extraReadiness?: () => ReadinessReport };

/** Liveness says the process answers; readiness says it has tables to route with. */
export async function healthRoutes(app: FastifyInstance, options: HealthOptions): Promise<void> {
  app.get(
    '/healthz',
    {
      schema: { response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } },
    },
    async () => ({ status: 'ok' }),
  );

  app.get('/readyz', async (_request, reply) => {
    const table = app.tables.table;
    const body = {
      ready: table !== null,
      datasetVersion: table?.version ?? null,
      source: app.tables.source,
      sample: table?.sample ?? null,
      loadedAt: app.tables.loadedAt === null ? null : new Date(app.tables.loadedAt).toISOString(),
      ...withoutAddresses(options.extraReadiness?.()),
    };
    return reply.code(table ? 200 : 503).send(body);
  });
}

/** Redis's own error text can name its host and port: readiness says only which kind of fault it was. */
function withoutAddresses(extra: ReadinessReport | undefined): ReadinessReport | undefined {
  const redis = extra?.redis;
  if (!redis || typeof redis !== 'object' || !('lastError' in redis)) return extra;
  return { ...extra, redis: { ...redis, lastError: publicStoreProblem(redis.lastError) } };
}
