import fp from 'fastify-plugin';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Redis } from 'ioredis';
import { FixedWindowCounter } from './fixedWindowCounter.js';
import { errorBody } from '../errors.js';
import { presentedToken, tokenMatcher } from '../plugins/adminAuth.js';
import { failOpenStore, LimiterCircuit } from './limiterCircuit.js';

export type RateLimitSettings = {
  windowMs: number;
  publicPerIp: number;
  telephonyPerIp: number;
  telephonyPerKey: number;
  adminPerIp: number;
  telephonyApiKeys: ReadonlyArray<{ label: string; key: string }>;
  /** Shared counters for the public and admin groups across instances; absent = this instance's memory. */
  redis?: Redis;
  /** The admin tokens by label: a request with a valid one is not counted with failed attempts. */
  adminTokens?: ReadonlyMap<string, string>;
};

type AsyncHook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
type Limiter = { max: number; circuit: LimiterCircuit | undefined; nameSpace: string };

/** Sends the body of a telephony refusal; status 429 and the Retry-After headers are already set. */
export type TelephonyRefusal = (request: FastifyRequest, reply: FastifyReply, retryAfterSeconds: number) => void;

/** The limiter of each route group, as onRequest hooks the group adds first; null when limits are off. */
export type RateLimitHooks = {
  /** The widget, its lookup, the demo page and the API docs: per client address. */
  public: onRequestHookHandler;
  /** The route API: per API key when a known one is presented, otherwise per address; refused in JSON. */
  telephony: onRequestHookHandler;
  /** The same allowance (route.txt counts in it too), refused with the route's own body. */
  telephonyRefusing(refuse: TelephonyRefusal): onRequestHookHandler;
  /** The admin API: valid tokens and failed attempts counted apart, per address. */
  admin: onRequestHookHandler;
};

declare module 'fastify' {
  interface FastifyInstance {
    rateLimitHooks: RateLimitHooks | null;
  }
}

/**
 * The limiters, built once and added by each route group to its own context. The public and
 * admin limiters use @fastify/rate-limit and count in Redis when it is configured, so limits hold
 * across instances; with Redis down, hung or full they count in this instance's memory at once
 * (LimiterCircuit), so an outage neither refuses nor delays a request. A flood of wrong admin
 * tokens cannot lock ops out of the address. The telephony limiter counts in memory with a
 * synchronous counter: a Redis round trip per call would cost every answer, and the load balancer
 * spreads a platform's calls over instances anyway. Twilio's webhook, health and metrics have none:
 * refusing a caller on the line would drop the call to the national line.
 */
export const rateLimits = fp<{ settings?: RateLimitSettings | undefined }>(
  async (app, { settings }) => {
    if (!settings) {
      app.decorate('rateLimitHooks', null);
      return;
    }
    const log = app.log.child({ component: 'rate-limits' });
    const circuit = settings.redis ? new LimiterCircuit(settings.redis, log) : undefined;
    app.addHook('onClose', (_app, done) => {
      circuit?.stop();
      done();
    });
    const group = (max: number, nameSpace: string) => limiter(app, settings.windowMs, { max, circuit, nameSpace });
    const telephony = telephonyLimiter(settings);
    app.decorate('rateLimitHooks', {
      public: (await group(settings.publicPerIp, 'crisis-route:rl:public:')) as onRequestHookHandler,
      admin: adminLimiter(
        await group(settings.adminPerIp, 'crisis-route:rl:admin:'),
        await group(settings.adminPerIp, 'crisis-route:rl:admin-failed:'),
        settings.adminTokens,
      ),
      telephony: telephony((_request, reply, retryAfter) => {
        void reply.send(errorBody('rate_limited', `rate limit exceeded, retry in ${retryAfter} s`));
      }),
      telephonyRefusing: telephony,
    });
  },
  { name: 'rate-limits' },
);

/** One @fastify/rate-limit instance with its own store, in a scope of its own, as an onRequest hook. */
async function limiter(app: FastifyInstance, windowMs: number, options: Limiter): Promise<AsyncHook> {
  let handler: AsyncHook | undefined;
  await app.register(async (scope) => {
    await scope.register(rateLimit, {
      global: false,
      timeWindow: windowMs,
      max: options.max,
      skipOnError: true,
      nameSpace: options.nameSpace,
      ...(options.circuit ? { store: failOpenStore(options.circuit, options.nameSpace) } : {}),
    });
    handler = scope.rateLimit() as AsyncHook;
  });
  if (!handler) throw new Error('rate limiter did not initialise');
  return handler;
}

/** Requests with a valid admin token count in one allowance, all others (failed authentications) in another. */
function adminLimiter(
  valid: AsyncHook,
  failed: AsyncHook,
  tokens: ReadonlyMap<string, string> = new Map(),
): onRequestHookHandler {
  const match = tokenMatcher(tokens);
  const hook: AsyncHook = async (request, reply) => {
    const presented = presentedToken(request);
    await (presented !== undefined && match(presented) !== undefined ? valid : failed)(request, reply);
  };
  return hook as onRequestHookHandler;
}

/**
 * Per API key (by its label) when a known key is presented, otherwise per client address: one
 * counter, shared by every hook made from it, each refusing in its route's own terms.
 */
function telephonyLimiter(settings: RateLimitSettings): (refuse: TelephonyRefusal) => onRequestHookHandler {
  const labels = new Map(settings.telephonyApiKeys.map(({ label, key }) => [key, label]));
  const counter = new FixedWindowCounter(settings.windowMs);
  return (refuse) => (request, reply, done) => {
    const presented = request.headers['x-api-key'];
    const label = typeof presented === 'string' ? labels.get(presented) : undefined;
    const max = label ? settings.telephonyPerKey : settings.telephonyPerIp;
    const now = Date.now();
    const ip = request.ip;
    // normalizeIP groups IPv6 clients by /64; an IPv4 address is its own key (and skips its regular expression).
    if (counter.hit(label ? `key:${label}` : `ip:${ip.includes(':') ? normalizeIP(ip) : ip}`, now) <= max)
      return done();
    const retryAfter = counter.secondsLeft(now);
    void reply.code(429).headers({
      'retry-after': String(retryAfter),
      'x-ratelimit-limit': String(max),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(retryAfter),
    });
    refuse(request, reply, retryAfter);
  };
}
