import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { CurrentTable } from '../store/currentTable.js';
import { handleError, formatSchemaErrors, errorBody } from './errors.js';
import { loggerOptions, pathOnly } from './logging.js';
import { routingState } from './plugins/routingState.js';
import { destinationSchema, errorAnswerSchema, routeAnswerSchema } from './schemas.js';
import { healthRoutes, type ReadinessReport } from './routes/health.js';
import { routeApiRoutes } from './routes/routeApi.js';
import { adminRoutes, type AdminOptions } from './routes/admin.js';

export type AppOptions = {
  tables: CurrentTable;
  logLevel?: string;
  /** Where logs go (tests capture them); stdout when absent. */
  logStream?: DestinationStream;
  now?: () => number;
  bodyLimit?: number;
  extraReadiness?: () => ReadinessReport;
  /** The admin API under /v1/admin; absent = off (no ADMIN_TOKEN or no Redis). */
  admin?: AdminOptions;
};

/** The service as a Fastify instance, not listening: server.ts listens, tests use inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info', options.logStream),
    disableRequestLogging: true,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    schemaErrorFormatter: formatSchemaErrors,
    return503OnClosing: true,
  });

  app.addSchema(destinationSchema);
  app.addSchema(routeAnswerSchema);
  app.addSchema(errorAnswerSchema);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody('not_found', `no route for ${request.method} ${pathOnly(request.url)}`)));

  // One access-log line per request, written after the answer, with the path only.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: reply, ms: Math.round(reply.elapsedTime * 100) / 100, routing: request.routing }, 'request');
  });

  await app.register(routingState, { tables: options.tables, now: options.now ?? Date.now });
  await app.register(healthRoutes, { extraReadiness: options.extraReadiness });
  await app.register(routeApiRoutes);
  if (options.admin) await app.register(adminRoutes, { ...options.admin, prefix: '/v1/admin' });
  return app;
}
