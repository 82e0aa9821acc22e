import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import type { CallerSettings } from './http/callerSettings.js';
import type { ConnectionLimits } from './http/connectionLimits.js';
import type { RateLimitSettings } from './http/rateLimit/rateLimits.js';
import type { RedisTarget } from './store/redisConnection.js';

// The validated environment as each part's own options: no part below reads Config itself.

export function callerSettingsFrom(config: Config): CallerSettings {
  return {
    twilioAuthToken: config.TWILIO_AUTH_TOKEN,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    dialTimeoutSeconds: config.TWILIO_DIAL_TIMEOUT_SECONDS,
    defaultLanguage: config.TWILIO_LANGUAGE,
    wirelessZipOffer: config.WIRELESS_ZIP_OFFER,
    widgetAllowedOrigins: config.WIDGET_ALLOWED_ORIGINS,
    screenCenters: config.TWILIO_SCREEN_CENTERS,
    screenNational: config.TWILIO_SCREEN_NATIONAL,
    whispers: { en: config.TWILIO_WHISPER_EN, es: config.TWILIO_WHISPER_ES },
    maxCenters: config.TWILIO_MAX_CENTERS,
    ringBudgetSeconds: config.TWILIO_RING_BUDGET_SECONDS,
  };
}

export function connectionLimitsFrom(config: Config): ConnectionLimits {
  return {
    headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
    stalledConnectionTimeoutMs: config.STALLED_CONNECTION_TIMEOUT_MS,
    maxConnections: config.MAX_CONNECTIONS,
  };
}

export type RedisTargetSettings = Pick<
  Config,
  'REDIS_URL' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_MASTER' | 'REDIS_SENTINEL_PASSWORD' | 'REDIS_PASSWORD'
>;

/** The target the settings name, or null when the service runs on its embedded tables. */
export function redisTargetFrom(config: RedisTargetSettings): RedisTarget | null {
  if (config.REDIS_URL) return { url: config.REDIS_URL };
  if (!config.REDIS_SENTINELS || !config.REDIS_SENTINEL_MASTER) return null;
  return {
    sentinels: config.REDIS_SENTINELS,
    masterName: config.REDIS_SENTINEL_MASTER,
    ...(config.REDIS_SENTINEL_PASSWORD ? { sentinelPassword: config.REDIS_SENTINEL_PASSWORD } : {}),
    ...(config.REDIS_PASSWORD ? { password: config.REDIS_PASSWORD } : {}),
  };
}

export function rateLimitSettings(config: Config, redis: Redis | undefined): RateLimitSettings {
  return {
    windowMs: config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    publicPerIp: config.RATE_LIMIT_PUBLIC_PER_IP,
    telephonyPerIp: config.RATE_LIMIT_TELEPHONY_PER_IP,
    telephonyPerKey: config.RATE_LIMIT_TELEPHONY_PER_KEY,
    adminPerIp: config.RATE_LIMIT_ADMIN_PER_IP,
    telephonyApiKeys: config.TELEPHONY_API_KEYS,
    ...(redis ? { redis } : {}),
    ...(config.ADMIN_TOKEN ? { adminTokens: config.ADMIN_TOKEN } : {}),
  };
}
