import { Redis, type RedisOptions } from 'ioredis';
import { watchFailovers } from './sentinelWatch.js';

export type RedisRole = 'data' | 'subscriber';

/** Where Redis is: one server by URL, or a primary that a set of sentinels names and fails over. */
export type RedisTarget =
  | { url: string }
  | {
      sentinels: { host: string; port: number }[];
      masterName: string;
      sentinelPassword?: string;
      password?: string;
    };

/** For logs and messages: where, never a password. */
export function describeRedisTarget(target: RedisTarget): string {
  if ('url' in target) return new URL(target.url).host;
  const sentinels = target.sentinels.map(({ host, port }) => `${host.includes(':') ? `[${host}]` : host}:${port}`);
  return `the primary of ${target.masterName} via sentinels ${sentinels.join(',')}`;
}

/** Capped exponential backoff with jitter, for the connection and for asking the sentinels again. */
const backoff = (capMs: number) => (times: number) =>
  Math.min(50 * 2 ** Math.min(times, 6), capMs) + Math.floor(Math.random() * 100);

/** How a lost connection retries. Through sentinels each retry asks one where the primary is, so sooner. */
export const reconnectStrategy = (target: RedisTarget) => backoff('url' in target ? 2000 : 1000);

/**
 * A client on the target with these options. Through sentinels it asks them for the primary on every
 * (re)connect, checks the node's role before calling the connection ready, and moves when they
 * announce a new primary.
 */
export function createRedis(target: RedisTarget, options: RedisOptions): Redis {
  if ('url' in target) return new Redis(target.url, options);
  const redis = new Redis({
    ...options,
    sentinels: target.sentinels,
    name: target.masterName,
    role: 'master',
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    ...(target.password ? { password: target.password } : {}),
    // A number, never null: without one ioredis gives up on the sentinels for good.
    sentinelRetryStrategy: backoff(1000),
    sentinelCommandTimeout: options.connectTimeout ?? 2000,
    // A demoted primary still up answers writes with READONLY: reconnect, which asks the sentinels again.
    reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 1 : false),
  });
  // Not ioredis's failoverDetector: its sentinel clients outlive quit() and print errors to stderr.
  watchFailovers(redis, target);
  return redis;
}

/**
 * A connection that fails fast instead of queueing: with Redis gone, a command errors at once
 * (no offline queue, one retry) and the connection keeps reconnecting with capped backoff.
 * Routing never waits on it; only the table follower and the admin API use it.
 */
export function connectRedis(target: RedisTarget, role: RedisRole): Redis {
  return createRedis(target, {
    connectionName: `crisis-route-${role}`,
    connectTimeout: 2000,
    // A half-open socket must not leave a check pending forever (the follower would stop following).
    commandTimeout: 5000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // The follower subscribes on every 'ready' itself, so it knows when the subscription is live.
    autoResubscribe: false,
    retryStrategy: reconnectStrategy(target),
  });
}

/** Resolves true once the connection is ready, false if it is not within `timeoutMs`. */
export function waitForReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}
