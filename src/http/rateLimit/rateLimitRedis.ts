import type { Redis } from 'ioredis';
import { createRedis, reconnectStrategy, type RedisTarget } from '../../store/redisConnection.js';
import type { RedisState } from '../../observability/metrics.js';

/**
 * The rate limiter's own connection: commands fail at once while Redis is away (no offline queue,
 * short timeouts), so the limiter skips counting instead of holding a request.
 */
export function rateLimitRedis(target: RedisTarget | string, onError: (error: Error) => void = () => {}): Redis {
  const where = typeof target === 'string' ? { url: target } : target;
  const redis = createRedis(where, {
    connectionName: 'crisis-route-limiter',
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: 250,
    retryStrategy: reconnectStrategy(where),
  });
  // Without a listener ioredis reports every failed reconnect as an unhandled error.
  redis.on('error', onError);
  return redis;
}

export function redisState(redis: Redis): RedisState {
  switch (redis.status) {
    case 'ready':
      return 'ready';
    case 'wait':
    case 'connecting':
    case 'connect':
    case 'reconnecting':
      return 'connecting';
    default:
      return 'down';
  }
}
