import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import type { DestinationStream } from 'pino';
import type { CurrentTable } from '../tables/currentTable.js';
import { handleError, formatSchemaErrors, errorBody } from './errors.js';
import { loggerOptions, loggablePath } from '../observability/logging.js';
import { AccessLog } from '../observability/accessLog.js';
import type { RoutineAnswerLog } from '../observability/routineAnswers.js';
import { lazyRequestLogger } from '../observability/requestLogger.js';
import { routingState } from './plugins/routingState.js';
import { destinationSchema, errorAnswerSchema, routeAnswerSchema } from './schemas.js';
import { healthRoutes, type ReadinessReport } from './routes/machine/health.js';
import { routeApiRoutes } from './routes/machine/routeApi.js';
import { callerRoutes } from './routes/callers.js';
import { DEFAULT_CALLER_SETTINGS, type CallerSettings } from './callerSettings.js';
import { adminRoutes, type AdminOptions } from './routes/admin/admin.js';
import { apiDocs } from './plugins/apiDocs.js';
import { productionPlugins, trustProxyOption, type ProductionOptions } from './plugins/production.js';
import { BROWSER_HEADERS } from './plugins/security.js';
import { serverTimeouts, type ConnectionLimits } from './connectionLimits.js';
import { connectionGuard } from './plugins/connectionGuard.js';
import { stalledClientsAtClose } from './plugins/stalledClientsAtClose.js';

export type AppOptions = {
  tables: CurrentTable;
  logLevel?: string;
  /** Where logs go (tests capture them); stdout when absent. */
  logStream?: DestinationStream;
  now?: () => number;
  bodyLimit?: number;
  extraReadiness?: () => ReadinessReport;
  /** Twilio webhook, dialplan and widget settings; defaults when absent. */
  callers?: CallerSettings;
  /** The admin API under /v1/admin; absent = off (no ADMIN_TOKEN or no Redis). */
  admin?: AdminOptions;
  /** Routine route answers in the access log: counted in a line a minute (default), or a line each. */
  routineAnswerLog?: RoutineAnswerLog;
  /** Deadlines for each phase of a connection and a cap on connections; absent = Fastify's defaults, no cap. */
  connections?: ConnectionLimits;
} & ProductionOptions;

/** The service as a Fastify instance, not listening: server.ts listens, tests use inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info', options.logStream),
    // Fastify's own request lines would log the URL with its query string (a caller's number).
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyRequestLogger,
    // Errors raised before routing (a malformed or over-long path) get the same error shape, without echoing the path.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void (reply as FastifyReply)
        .code(400)
        .send(errorBody('invalid_request', tooLong ? 'a path segment is too long' : 'the URL is malformed'));
    },
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    schemaErrorFormatter: formatSchemaErrors,
    // During shutdown, requests already arriving on open connections are still answered (with
    // Connection: close, see drain.ts): a 503 there would be a failed call for a phone system.
    return503OnClosing: false,
    trustProxy: trustProxyOption(options.trustProxy),
    ...(options.connections ? serverTimeouts(options.connections) : {}),
  });

  app.addSchema(destinationSchema);
  app.addSchema(routeAnswerSchema);
  app.addSchema(errorAnswerSchema);
  app.setErrorHandler(handleError);
  // Whoever asks for a path that does not exist may be a browser: the 404 carries the browser headers too.
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .headers(BROWSER_HEADERS)
      .send(errorBody('not_found', `no route for ${request.method} ${loggablePath(request.url)}`)),
  );

  // The access log and the request metrics, from one hook: Fastify builds
  // request.routeOptions afresh on every read, so the route template is read once here.
  const access = new AccessLog(options.logLevel ?? 'info', {
    stream: options.logStream,
    routine: options.routineAnswerLog,
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    const ms = reply.elapsedTime;
    access.record(request, reply.statusCode, route, ms);
    app.observeAnswer(request, reply.statusCode, route, ms);
    done();
  });
  app.addHook('onClose', (_app, done) => {
    access.flush();
    done();
  });

  // Before any route: the guard's onRoute hook keeps a client's abort out of every route's error handler.
  await app.register(connectionGuard, { maxConnections: options.connections?.maxConnections });
  await app.register(stalledClientsAtClose, { requestTimeoutMs: options.connections?.requestTimeoutMs });
  await app.register(routingState, { tables: options.tables, now: options.now ?? Date.now });
  // Security headers, rate limits and metrics first: their hooks apply to every route registered after.
  await app.register(productionPlugins, {
    tables: options.tables,
    rateLimit: options.rateLimit,
    redisStatus: options.redisStatus,
  });
  await app.register(healthRoutes, { extraReadiness: options.extraReadiness });
  await app.register(routeApiRoutes);
  await app.register(callerRoutes, options.callers ?? DEFAULT_CALLER_SETTINGS);
  if (options.admin) await app.register(adminRoutes, { ...options.admin, prefix: '/v1/admin' });
  await app.register(apiDocs, { openapiPath: options.openapiPath ?? 'openapi.yaml' });
  return app;
}
