import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import { loadEmbeddedData, type EmbeddedData } from './dataset/loadEmbeddedDataset.js';
import { compileRoutingTable } from './core/compileRoutingTable.js';
import { DEFAULT_POLICY } from './core/types.js';
import { CurrentTable } from './tables/currentTable.js';
import { AuditTrail } from './store/audit.js';
import { connectRedis } from './store/redisConnection.js';
import { callerSettingsFrom, connectionLimitsFrom, rateLimitSettings, redisTargetFrom } from './settings.js';
import { redisKeys } from './store/redisKeys.js';
import { tableBuilderFor, versionMeta } from './tables/tableBuilder.js';
import { TableFollower } from './store/tableFollower.js';
import { TablesAdmin } from './tables/tablesAdmin.js';
import { VersionStore } from './store/versionStore.js';
import { sampleGuard, sampleRefusal, type SampleGuardSettings } from './tables/sampleGuard.js';
import { rateLimitRedis, redisState } from './http/rateLimit/rateLimitRedis.js';
import { redisHealthMetrics } from './observability/redisHealthMetrics.js';
import { asControlConnection, RedisHealth } from './store/redisHealth.js';

export type Service = {
  app: FastifyInstance;
  tables: CurrentTable;
  follower: TableFollower | null;
  /** Closes what the service holds besides the HTTP server (Redis connections); after app.close(). */
  release(): Promise<void>;
  /** app.close() then release(). */
  close(): Promise<void>;
};

export type ServiceOptions = {
  logStream?: DestinationStream;
  now?: () => number;
  /** Redis key namespace (tests isolate themselves with one); the default is crisis-route. */
  redisNamespace?: string;
  /** How long to wait for Redis at start before serving the snapshot or data/. */
  redisConnectTimeoutMs?: number;
  /** DATA_DIR already loaded (tests start many instances on the same data/). */
  embedded?: EmbeddedData;
};

/**
 * Composes the service: the embedded tables in data/ without Redis; with it (REDIS_URL or REDIS_SENTINELS),
 * the active version in Redis, followed as it changes, and the admin API when ADMIN_TOKEN is set. Never listens.
 */
export async function startService(config: Config, options: ServiceOptions = {}): Promise<Service> {
  // Every table put in service, from data/, Redis or a snapshot, passes the sample-data guard.
  const guard = { nodeEnv: config.NODE_ENV, allowSampleInProduction: config.ALLOW_SAMPLE_DATA_IN_PRODUCTION };
  const tables = new CurrentTable(sampleGuard(guard));
  const redisTarget = redisTargetFrom(config);
  const limiterRedis = redisTarget && config.RATE_LIMIT_ENABLED ? rateLimitRedis(redisTarget) : undefined;
  const releaseLimiter = async () => {
    await limiterRedis?.quit().catch(() => limiterRedis.disconnect());
  };
  const embedded = options.embedded ?? (await loadEmbeddedData(config.DATA_DIR));
  const policy = { ...DEFAULT_POLICY, name: config.ROUTING_POLICY };
  const appOptions = {
    tables,
    logLevel: config.LOG_LEVEL,
    routineAnswerLog: config.ACCESS_LOG_ROUTINE,
    logStream: options.logStream,
    now: options.now,
    callers: { ...callerSettingsFrom(config), nationalLine: nationalLineBeforeTables(config, embedded, guard) },
    bodyLimit: config.BODY_LIMIT_BYTES,
    connections: connectionLimitsFrom(config),
    trustProxy: config.TRUST_PROXY,
    ...(config.RATE_LIMIT_ENABLED ? { rateLimit: rateLimitSettings(config, limiterRedis) } : {}),
  };

  if (!redisTarget) {
    const app = await buildApp(appOptions);
    // Nothing is served yet and nothing reloads later: compiled here, without a worker thread.
    const started = performance.now();
    const { geography, prepared } = embedded;
    const table = compileRoutingTable(geography.packed.unpack(), prepared.dataset, policy, prepared.version);
    const compileMs = performance.now() - started;
    tables.swap(table, 'embedded', compileMs); // throws SampleDataRefused in production
    app.log.info(
      { datasetVersion: table.version, sample: table.sample, ...table.stats, compileMs: Math.round(compileMs) },
      'routing tables loaded from data/',
    );
    if (config.ADMIN_TOKEN) app.log.warn('ADMIN_TOKEN is set but Redis is not: the admin API needs Redis and is off');
    return { app, tables, follower: null, release: async () => {}, close: () => app.close() };
  }

  const redis = connectRedis(redisTarget, 'data');
  const subscriber = connectRedis(redisTarget, 'subscriber');
  // Until the follower listens (and logs), this keeps ioredis from printing errors to stderr.
  for (const connection of [redis, subscriber]) connection.on('error', () => {});
  // Admin calls and health checks wait a short time, so a hung Redis is a quick 503, not a long wait.
  const control = asControlConnection(connectRedis(redisTarget, 'data'));
  const health = new RedisHealth(control);
  const keys = redisKeys(options.redisNamespace);
  const store = new VersionStore(redis, keys, config.TABLES_HISTORY);
  // Geographies other than data/'s come from Redis, when a version names one.
  const builder = tableBuilderFor(embedded, policy, (id) => store.loadGeography(id));
  const audit = new AuditTrail(redis, keys);
  let follower: TableFollower | undefined;
  const admin = config.ADMIN_TOKEN && {
    service: new TablesAdmin({
      store: new VersionStore(control, keys, config.TABLES_HISTORY),
      audit: new AuditTrail(control, keys),
      builder,
      loaded: () => follower?.loaded ?? null,
      refusal: (version) => sampleRefusal(version, guard),
      keepActivation: async (record, version) => follower?.noteActivation(record, version),
    }),
    tokens: config.ADMIN_TOKEN,
    maxUploadBytes: config.MAX_UPLOAD_BYTES,
    storeReachable: () => health.isAnswering,
    storeFault: (error: Error) => health.fault(error),
  };
  // A connection open to a Redis that answers nothing is down, for metrics and readiness alike.
  const redisStatus = () => (redisState(redis) === 'ready' && !health.isAnswering ? 'down' : redisState(redis));
  const readiness = () => ({ redis: follower ? health.readiness(follower.status()) : null });
  const app = await buildApp({ ...appOptions, ...(admin ? { admin } : {}), redisStatus, extraReadiness: readiness });
  if (appOptions.callers.nationalLine === undefined)
    app.log.warn('route.txt knows no national line until tables load (data/ is sample data): set NATIONAL_LINE');
  redisHealthMetrics(app.metricsRegistry, health);
  const seed = { meta: versionMeta(embedded.prepared, 'seed', 'data/', Date.now()), csv: embedded.prepared.csv };
  follower = new TableFollower(
    {
      redis,
      subscriber,
      store,
      builder,
      tables,
      audit,
      log: app.log.child({ component: 'tables' }),
      recheckMs: config.TABLES_RECHECK_MS,
      snapshotDir: config.SNAPSHOT_DIR,
      precompiled: (version) => (admin ? admin.service.compiled(version) : null),
    },
    seed,
  );
  try {
    const connectTimeoutMs = options.redisConnectTimeoutMs ?? 3000;
    const healthLog = app.log.child({ component: 'redis' });
    await Promise.all([follower.start(connectTimeoutMs), health.start(healthLog, connectTimeoutMs)]);
  } catch (error) {
    health.stop();
    await follower.stop();
    await builder.close();
    await releaseLimiter();
    throw error;
  }
  const running = follower;
  const release = async () => {
    health.stop();
    await running.stop();
    await builder.close();
    await releaseLimiter();
  };
  return {
    app,
    tables,
    follower: running,
    release,
    close: async () => {
      await app.close();
      await release();
    },
  };
}

/**
 * The national line route.txt can name before any table is loaded: NATIONAL_LINE, else data/'s
 * when data/ may serve here (never sample data's fictional line in production).
 */
export function nationalLineBeforeTables(
  config: Config,
  embedded: EmbeddedData,
  guard: SampleGuardSettings,
): string | undefined {
  if (config.NATIONAL_LINE) return config.NATIONAL_LINE;
  const { dataset, version } = embedded.prepared;
  return sampleRefusal({ sample: dataset.sample, version }, guard) === null ? dataset.national.phone : undefined;
}
