import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import { ConfigError, loadConfig, type Config } from './config.js';
import { loadEmbeddedData } from './dataset/loadEmbeddedDataset.js';
import { compileRoutingTable } from './routing/compileRoutingTable.js';
import { DEFAULT_POLICY } from './routing/types.js';
import { CurrentTable } from './store/currentTable.js';
import { SampleDataRefused, sampleGuard } from './store/sampleGuard.js';
import { buildApp } from './http/app.js';
import type { RateLimitSettings } from './http/plugins/rateLimits.js';
import { rateLimitRedis, redisState } from './http/rateLimitRedis.js';
import { installGracefulShutdown } from './shutdown.js';

/** The imperative shell: read config, load tables, listen, and stop cleanly on a signal. */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const tables = new CurrentTable(sampleGuard({ nodeEnv: config.NODE_ENV, allowSampleInProduction: config.ALLOW_SAMPLE_DATA_IN_PRODUCTION }));
  const limiterRedis = config.REDIS_URL && config.RATE_LIMIT_ENABLED ? rateLimitRedis(config.REDIS_URL) : undefined;
  const app = await buildApp({
    tables,
    logLevel: config.LOG_LEVEL,
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    ...(config.RATE_LIMIT_ENABLED ? { rateLimit: rateLimitSettings(config, limiterRedis) } : {}),
    ...(limiterRedis ? { redisStatus: () => redisState(limiterRedis) } : {}),
  });

  const started = performance.now();
  const embedded = await loadEmbeddedData(config.DATA_DIR);
  const policy = { ...DEFAULT_POLICY, name: config.ROUTING_POLICY };
  const table = compileRoutingTable(embedded.geography, embedded.dataset, policy, embedded.version);
  const compileMs = performance.now() - started;
  tables.swap(table, 'embedded', compileMs);
  app.log.info({ datasetVersion: table.version, sample: table.sample, ...table.stats, compileMs: Math.round(compileMs) }, 'routing tables loaded from data/');

  const closeRedis = async () => {
    await limiterRedis?.quit().catch(() => limiterRedis.disconnect());
  };
  installGracefulShutdown(app, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, onClosed: closeRedis });
  await app.listen({ port: config.PORT, host: config.HOST });
}

function rateLimitSettings(config: Config, redis: Redis | undefined): RateLimitSettings {
  return {
    windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    publicPerIp: config.RATE_LIMIT_PUBLIC_PER_IP,
    telephonyPerIp: config.RATE_LIMIT_TELEPHONY_PER_IP,
    telephonyPerKey: config.RATE_LIMIT_TELEPHONY_PER_KEY,
    adminPerIp: config.RATE_LIMIT_ADMIN_PER_IP,
    telephonyApiKeys: config.TELEPHONY_API_KEYS,
    ...(redis ? { redis } : {}),
  };
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof SampleDataRefused) console.error(error.message);
  else console.error('crisis-route failed to start:', error);
  process.exit(1);
});
