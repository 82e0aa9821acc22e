import Fastify, { LogController, type FastifyInstance, type FastifyReply } from 'fastify';
import type { DestinationStream } from 'pino';
import type { CurrentTable } from '../tables/currentTable.js';
import { handleError, formatSchemaErrors, errorBody } from './errors.js';
import { logDestination, loggerOptions, loggablePath } from '../observability/logging.js';
import type { RoutineAnswerLog } from '../observability/routineAnswers.js';
import { lazyRequestLogger } from '../observability/requestLogger.js';
import { routingState } from './plugins/routingState.js';
import { destinationSchema, errorAnswerSchema, routeAnswerSchema } from './schemas.js';
import type { ReadinessReport } from './routes/machine/health.js';
import { DEFAULT_CALLER_SETTINGS, type CallerSettings } from './callerSettings.js';
import type { AdminOptions } from './routes/admin/admin.js';
import { BROWSER_HEADERS, dataHeaders } from './plugins/security.js';
import { drainConnections } from './plugins/drain.js';
import { rateLimits, type RateLimitSettings } from './rateLimit/rateLimits.js';
import { observability } from '../observability/index.js';
import type { RedisState } from '../observability/metrics.js';
import { machineRoutes } from './routes/machine/index.js';
import { browserRoutes } from './routes/browser/index.js';
import { adminGroup } from './routes/admin/index.js';
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
  /** Rate limits by route group; absent = no limits (tests, or a gateway that limits instead). */
  rateLimit?: RateLimitSettings;
  /** Fastify's trustProxy: which X-Forwarded-For hops to believe for the client address. */
  trustProxy?: boolean | number | string[];
  /** The Redis connection state for /metrics; absent = Redis not in use. */
  redisStatus?: () => RedisState;
  /** The API contract served at /openapi.yaml and /docs (default: openapi.yaml in the working directory). */
  openapiPath?: string;
};

/** The service as a Fastify instance, not listening: server.ts listens, tests use inject. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logStream = options.logStream ?? logDestination();
  const app = Fastify({
    logger: loggerOptions(options.logLevel ?? 'info', logStream),
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

  // Before any route: the guard's onRoute hook keeps a client's abort out of every route's error handler.
  await app.register(connectionGuard, { maxConnections: options.connections?.maxConnections });
  await app.register(stalledClientsAtClose, { requestTimeoutMs: options.connections?.requestTimeoutMs });
  await app.register(routingState, { tables: options.tables, now: options.now ?? Date.now });
  await app.register(observability, {
    tables: options.tables,
    accessLogLevel: options.logLevel ?? 'info',
    logStream,
    routineAnswerLog: options.routineAnswerLog,
    redisStatus: options.redisStatus,
  });
  await app.register(dataHeaders);
  await app.register(drainConnections);
  await app.register(rateLimits, { settings: options.rateLimit });

  // Routes by audience, each group an encapsulated context with its own headers, limiter and auth.
  const callers = options.callers ?? DEFAULT_CALLER_SETTINGS;
  await app.register(machineRoutes, { callers, extraReadiness: options.extraReadiness });
  await app.register(browserRoutes, {
    widgetAllowedOrigins: callers.widgetAllowedOrigins,
    openapiPath: options.openapiPath ?? 'openapi.yaml',
  });
  if (options.admin) await app.register(adminGroup, { admin: options.admin, prefix: '/v1/admin' });
  return app;
}

/** A hop count becomes "trust the nearest n hops" (Fastify's types omit the number form). */
function trustProxyOption(
  value: AppOptions['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}
