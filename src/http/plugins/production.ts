import fp from 'fastify-plugin';
import type { CurrentTable } from '../../tables/currentTable.js';
import { securityHeaders } from './security.js';
import { drainConnections } from './drain.js';
import { rateLimits, type RateLimitSettings } from '../rateLimit/rateLimits.js';
import { metrics, type RedisState } from '../../observability/metrics.js';

export type ProductionOptions = {
  /** Rate limits by route group; absent = no limits (tests, or a gateway that limits instead). */
  rateLimit?: RateLimitSettings;
  /** Fastify's trustProxy: which X-Forwarded-For hops to believe for the client address. */
  trustProxy?: boolean | number | string[];
  /** The Redis connection state for /metrics; absent = Redis not in use. */
  redisStatus?: () => RedisState;
  /** The API contract served at /openapi.yaml and /docs (default: openapi.yaml in the working directory). */
  openapiPath?: string;
};

/** A hop count becomes "trust the nearest n hops" (Fastify's types omit the number form). */
export function trustProxyOption(
  value: ProductionOptions['trustProxy'],
): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}

/** What running on the public internet adds to every route: headers, limits, metrics. */
type PluginOptions = {
  tables: CurrentTable;
  rateLimit?: RateLimitSettings | undefined;
  redisStatus?: (() => RedisState) | undefined;
};

export const productionPlugins = fp<PluginOptions>(
  async (app, options) => {
    await app.register(securityHeaders);
    await app.register(drainConnections);
    if (options.rateLimit) await app.register(rateLimits, options.rateLimit);
    await app.register(metrics, {
      tables: options.tables,
      ...(options.redisStatus ? { redisStatus: options.redisStatus } : {}),
    });
  },
  { name: 'crisis-route-production' },
);
