import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { CurrentTable } from '../store/currentTable.js';
import { handleError, formatSchemaErrors, errorBody } from './errors.js';
import { loggerOptions, maskPhoneNumbers, pathOnly } from './logging.js';
import { routingState } from './plugins/routingState.js';
import { destinationSchema, errorAnswerSchema, routeAnswerSchema } from './schemas.js';
import { healthRoutes, type ReadinessReport } from './routes/health.js';
import { routeApiRoutes } from './routes/routeApi.js';
import { apiDocs } from './plugins/apiDocs.js';
import { productionPlugins, trustProxyOption, type ProductionOptions } from './plugins/production.js';

export type AppOptions = {
  tables: CurrentTable;
  logLevel?: string;
  /** Where logs go (tests capture them); stdout when absent. */
  logStream?: DestinationStream;
  now?: () => number;
  bodyLimit?: number;
  extraReadiness?: () => ReadinessReport;
} & ProductionOptions;

/** The service as a Fastify instance, not listening: server.ts listens, tests use inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info', options.logStream),
    disableRequestLogging: true,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    schemaErrorFormatter: formatSchemaErrors,
    return503OnClosing: true,
    trustProxy: trustProxyOption(options.trustProxy),
  });

  app.addSchema(destinationSchema);
  app.addSchema(routeAnswerSchema);
  app.addSchema(errorAnswerSchema);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => reply.code(404).send(errorBody('not_found', `no route for ${request.method} ${maskPhoneNumbers(pathOnly(request.url))}`)));

  // One access-log line per request, written after the answer, with the path only.
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ req: request, res: reply, ms: Math.round(reply.elapsedTime * 100) / 100, routing: request.routing }, 'request');
  });

  await app.register(routingState, { tables: options.tables, now: options.now ?? Date.now });
  // Security headers, rate limits and metrics first: their hooks apply to every route registered after.
  await app.register(productionPlugins, { tables: options.tables, rateLimit: options.rateLimit, redisStatus: options.redisStatus });
  await app.register(healthRoutes, { extraReadiness: options.extraReadiness });
  await app.register(routeApiRoutes);
  await app.register(apiDocs, { openapiPath: options.openapiPath ?? 'openapi.yaml' });
  return app;
}
