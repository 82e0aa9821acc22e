import { Redis } from 'ioredis';

export type RedisRole = 'data' | 'subscriber';

/**
 * A connection that fails fast instead of queueing: with Redis gone, a command errors at once
 * (no offline queue, one retry) and the connection keeps reconnecting with capped backoff.
 * Routing never waits on it; only the table follower and the admin API use it.
 */
export function connectRedis(url: string, role: RedisRole): Redis {
  return new Redis(url, {
    connectionName: `crisis-route-${role}`,
    connectTimeout: 2000,
    // A half-open socket must not leave a check pending forever (the follower would stop following).
    commandTimeout: 5000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    // The follower subscribes on every 'ready' itself, so it knows when the subscription is live.
    autoResubscribe: false,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000) + Math.floor(Math.random() * 100),
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
