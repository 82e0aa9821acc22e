import { Redis } from 'ioredis';
import type { RedisState } from './plugins/metrics.js';

/**
 * The rate limiter's own connection: commands fail at once while Redis is away (no offline queue,
 * short timeouts), so the limiter skips counting instead of holding a request.
 */
export function rateLimitRedis(url: string, onError: (error: Error) => void = () => {}): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000, commandTimeout: 250 });
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
