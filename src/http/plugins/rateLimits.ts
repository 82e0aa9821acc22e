import fp from 'fastify-plugin';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import { rateLimitGroupOf, type RateLimitGroup } from '../rateLimitPolicy.js';

export type RateLimitSettings = {
  windowMs: number;
  publicPerIp: number;
  telephonyPerIp: number;
  telephonyPerKey: number;
  adminPerIp: number;
  telephonyApiKeys: ReadonlyArray<{ label: string; key: string }>;
  /** Shared counters for the public and admin groups across instances; absent = this instance's memory. */
  redis?: Redis;
};

type Limiter = { max: number | ((request: FastifyRequest, key: string) => number); keyGenerator?: (request: FastifyRequest) => string; redis?: Redis; nameSpace: string };

/**
 * Rate limits per group (see rateLimitPolicy). The public widget and admin groups count in Redis
 * when it is configured, so limits hold across instances. The telephony group always counts in
 * this instance's memory: a Redis round trip per call would halve routing throughput, and a
 * telephony platform's traffic is spread evenly over instances by the load balancer anyway.
 * With Redis down, counting is skipped (skipOnError), so an outage never refuses a request.
 */
export const rateLimits = fp<RateLimitSettings>(
  async (app, settings) => {
    const keys = new Map(settings.telephonyApiKeys.map(({ label, key }) => [key, label]));
    const telephonyKey = (request: FastifyRequest): string => {
      const presented = request.headers['x-api-key'];
      const label = typeof presented === 'string' ? keys.get(presented) : undefined;
      return label ? `key:${label}` : `ip:${normalizeIP(request.ip)}`;
    };
    const handlers: Record<Exclude<RateLimitGroup, 'none'>, onRequestHookHandler> = {
      public: await limiter(app, settings.windowMs, { max: settings.publicPerIp, redis: settings.redis, nameSpace: 'crisis-route:rl:public:' }),
      admin: await limiter(app, settings.windowMs, { max: settings.adminPerIp, redis: settings.redis, nameSpace: 'crisis-route:rl:admin:' }),
      telephony: await limiter(app, settings.windowMs, {
        max: (_request, key) => (key.startsWith('key:') ? settings.telephonyPerKey : settings.telephonyPerIp), // sync: no promise per call
        keyGenerator: telephonyKey,
        nameSpace: 'crisis-route:rl:telephony:',
      }),
    };

    app.addHook('onRoute', (routeOptions) => {
      const group = rateLimitGroupOf(routeOptions.url ?? '');
      if (group === 'none') return;
      const existing = routeOptions.onRequest;
      routeOptions.onRequest = [handlers[group], ...(Array.isArray(existing) ? existing : existing ? [existing] : [])];
    });
  },
  { name: 'crisis-route-rate-limits' },
);

/** One @fastify/rate-limit instance with its own store, in a scope of its own, as an onRequest hook. */
async function limiter(app: FastifyInstance, windowMs: number, options: Limiter): Promise<onRequestHookHandler> {
  let handler: onRequestHookHandler | undefined;
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      timeWindow: windowMs,
      max: options.max,
      skipOnError: true,
      nameSpace: options.nameSpace,
      ...(options.keyGenerator ? { keyGenerator: options.keyGenerator } : {}),
      ...(options.redis ? { redis: options.redis } : {}),
    });
    handler = scope.rateLimit() as onRequestHookHandler;
  });
  if (!handler) throw new Error('rate limiter did not initialise');
  return handler;
}
