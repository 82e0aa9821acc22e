import { z } from 'zod';
import { DEFAULT_WHISPERS } from './twilio/prompts.js';
import {
  Count,
  emptyToUndefined,
  Flag,
  labelledSecrets,
  Millis,
  parseSentinels,
  parseTrustProxy,
  Port,
  Whisper,
  Whole,
} from './configValues.js';

/**
 * The one place the environment is read. Every setting is validated once at start; a bad value
 * stops the start with a message naming the variable and what it accepts.
 */
export const ConfigSchema = z
  .object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'], { error: 'must be development, production or test' })
      .default('development'),
    PORT: Port.default(3000),
    HOST: z.string().min(1, 'must be a host name or address such as 0.0.0.0').default('0.0.0.0'),
    REDIS_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL, or empty for the embedded tables')
        .optional(),
    ),
    // Redis behind Sentinel, instead of REDIS_URL: every connection follows the primary Sentinel names.
    REDIS_SENTINELS: z.preprocess(emptyToUndefined, z.string().transform(parseSentinels).optional()),
    REDIS_SENTINEL_MASTER: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be the master name the sentinels monitor (letters, digits . _ -)')
        .optional(),
    ),
    REDIS_SENTINEL_PASSWORD: z.preprocess(emptyToUndefined, z.string().optional()),
    REDIS_PASSWORD: z.preprocess(emptyToUndefined, z.string().optional()),
    DATA_DIR: z.string().min(1).default('data'),
    ROUTING_POLICY: z
      .enum(['state-first', 'nearest'], { error: 'must be state-first or nearest' })
      .default('state-first'),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    ACCESS_LOG_ROUTINE: z
      .enum(['summary', 'each'], {
        error: 'must be summary (routine route answers counted in a line a minute) or each (a line per answer)',
      })
      .default('summary'),
    ALLOW_SAMPLE_DATA_IN_PRODUCTION: z.preprocess(emptyToUndefined, Flag.optional()).transform((v) => v ?? false),
    // The national line route.txt names before any table is loaded; unset, data/'s when data/ may serve.
    NATIONAL_LINE: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\+1[2-9]\d{2}[2-9]\d{6}$/, 'must be the national line in E.164: +1 and 10 digits')
        .optional(),
    ),
    // Callers' systems: the Twilio voice webhook and the web widget.
    TWILIO_AUTH_TOKEN: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(/^\S+$/, 'must be the Twilio auth token (no spaces), or empty to accept unsigned webhooks')
        .optional(),
    ),
    PUBLIC_BASE_URL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .regex(
          /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/,
          'must be the URL the service is reached at from outside, such as https://route.example.org, without query',
        )
        .transform((v) => v.replace(/\/+$/, ''))
        .optional(),
    ),
    TWILIO_DIAL_TIMEOUT_SECONDS: z.coerce
      .number({ error: 'must be whole seconds from 5 to 600' })
      .int('must be whole seconds from 5 to 600')
      .min(5, 'must be whole seconds from 5 to 600')
      .max(600, 'must be whole seconds from 5 to 600')
      .default(20),
    TWILIO_LANGUAGE: z.enum(['en', 'es'], { error: 'must be en or es' }).default('en'),
    // A wireless caller placed by exchange may be far from home: offer a zip before ringing.
    WIRELESS_ZIP_OFFER: z.preprocess(emptyToUndefined, Flag.optional()).transform((v) => v ?? true),
    // Whoever answers a center hears the whisper and must press 1, so a voicemail never takes the call.
    TWILIO_SCREEN_CENTERS: z.preprocess(emptyToUndefined, Flag.optional()).transform((v) => v ?? true),
    TWILIO_SCREEN_NATIONAL: z.preprocess(emptyToUndefined, Flag.optional()).transform((v) => v ?? false),
    TWILIO_WHISPER_EN: z.preprocess(emptyToUndefined, Whisper.optional()).transform((v) => v ?? DEFAULT_WHISPERS.en),
    TWILIO_WHISPER_ES: z.preprocess(emptyToUndefined, Whisper.optional()).transform((v) => v ?? DEFAULT_WHISPERS.es),
    TWILIO_MAX_CENTERS: Whole(0, 20, 'a whole number of centers').default(3),
    TWILIO_RING_BUDGET_SECONDS: Whole(10, 600, 'whole seconds').default(60),
    WIDGET_ALLOWED_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter(Boolean),
      )
      .refine(
        (origins) => origins.every((o) => o === '*' || /^https?:\/\/[^/?#\s]+$/.test(o)),
        'must be comma-separated origins such as https://partner.example.org, or *',
      ),
    // Redis-backed tables and the admin API (issue 3).
    ADMIN_TOKEN: z.preprocess(emptyToUndefined, labelledSecrets('token', 'admin').optional()),
    MAX_UPLOAD_BYTES: z.coerce
      .number({ error: 'must be a number of bytes' })
      .int('must be a whole number of bytes')
      .min(1024, 'must be at least 1024 bytes')
      .max(64 * 1024 * 1024, 'must be at most 64 MiB')
      .default(2 * 1024 * 1024),
    TABLES_RECHECK_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be whole milliseconds')
      .min(100, 'must be at least 100 ms')
      .max(600_000, 'must be at most 600000 ms')
      .default(5000),
    TABLES_HISTORY: z.coerce
      .number({ error: 'must be a number of versions' })
      .int('must be a whole number')
      .min(2, 'must keep at least 2 versions (for rollback)')
      .max(1000, 'must be at most 1000')
      .default(10),
    SNAPSHOT_DIR: z.preprocess(emptyToUndefined, z.string().min(1).optional()),
    // Operating in production: proxies, rate limits, body size, shutdown.
    TRUST_PROXY: z
      .preprocess(emptyToUndefined, z.string().optional())
      .transform((v, ctx) => parseTrustProxy(v ?? 'false', ctx)),
    RATE_LIMIT_ENABLED: z.preprocess(emptyToUndefined, Flag.optional()).transform((v) => v ?? true),
    RATE_LIMIT_WINDOW_SECONDS: Count.default(60),
    RATE_LIMIT_PUBLIC_PER_IP: Count.default(120),
    RATE_LIMIT_TELEPHONY_PER_IP: Count.default(600),
    RATE_LIMIT_TELEPHONY_PER_KEY: Count.default(12_000),
    RATE_LIMIT_ADMIN_PER_IP: Count.default(60),
    TELEPHONY_API_KEYS: z
      .preprocess(emptyToUndefined, labelledSecrets('key').optional())
      .transform((keys) => [...(keys ?? [])].map(([label, key]) => ({ label, key }))),
    BODY_LIMIT_BYTES: Count.default(64 * 1024),
    SHUTDOWN_TIMEOUT_MS: Count.default(10_000),
    // Connection limits, sized for telephony clients (docs/connections.md says why each default).
    HEADERS_TIMEOUT_MS: Millis(100, 300_000).default(10_000),
    REQUEST_TIMEOUT_MS: Millis(100, 3_600_000).default(30_000),
    KEEP_ALIVE_TIMEOUT_MS: Millis(100, 3_600_000).default(72_000),
    STALLED_CONNECTION_TIMEOUT_MS: Millis(100, 3_600_000).default(120_000),
    MAX_CONNECTIONS: Whole(1, 1_000_000).default(4096),
  })
  .superRefine(checkRedisTarget)
  .superRefine(checkNationalLine);

/** REDIS_URL names one server; the Sentinel settings name a set that fails over. Never both. */
type RedisTargetSettings = {
  REDIS_URL?: string;
  REDIS_SENTINELS?: unknown;
  REDIS_SENTINEL_MASTER?: string;
  REDIS_SENTINEL_PASSWORD?: string;
  REDIS_PASSWORD?: string;
};

function checkRedisTarget(config: RedisTargetSettings, ctx: z.RefinementCtx): void {
  const problem = (name: string, message: string) => ctx.addIssue({ code: 'custom', path: [name], message });
  const sentinels = config.REDIS_SENTINELS !== undefined;
  if (sentinels && config.REDIS_URL) {
    problem('REDIS_SENTINELS', 'set either REDIS_URL (one Redis) or REDIS_SENTINELS (a Sentinel set), not both');
  }
  if (sentinels !== (config.REDIS_SENTINEL_MASTER !== undefined)) {
    const missing = sentinels ? 'REDIS_SENTINEL_MASTER' : 'REDIS_SENTINELS';
    problem(missing, 'REDIS_SENTINELS and REDIS_SENTINEL_MASTER go together: set both or neither');
  }
  for (const name of ['REDIS_SENTINEL_PASSWORD', 'REDIS_PASSWORD'] as const) {
    if (config[name] !== undefined && !sentinels) {
      problem(name, 'is only used with REDIS_SENTINELS (with REDIS_URL, the password goes in the URL)');
    }
  }
}

/** A fictional 555-01XX national line never answers callers in production (as sample data never does). */
function checkNationalLine(
  config: { NODE_ENV: string; NATIONAL_LINE?: string | undefined; ALLOW_SAMPLE_DATA_IN_PRODUCTION: boolean },
  ctx: z.RefinementCtx,
): void {
  if (config.NODE_ENV !== 'production' || config.ALLOW_SAMPLE_DATA_IN_PRODUCTION) return;
  if (config.NATIONAL_LINE && /^\+1\d{3}55501\d{2}$/.test(config.NATIONAL_LINE)) {
    const message = 'is a fictional 555-01XX number, refused with NODE_ENV=production';
    ctx.addIssue({ code: 'custom', path: ['NATIONAL_LINE'], message });
  }
}

/** Settings whose values are never printed, even when they are wrong: they carry credentials. */
const SECRET_SETTINGS = new Set([
  'ADMIN_TOKEN',
  'TELEPHONY_API_KEYS',
  'TWILIO_AUTH_TOKEN',
  'REDIS_URL',
  'REDIS_SENTINEL_PASSWORD',
  'REDIS_PASSWORD',
]);

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validate an environment (process.env at the edge, a plain object in tests). */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const result = ConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    const value = SECRET_SETTINGS.has(name) ? undefined : env[name];
    return `${name}${value === undefined ? '' : `=${JSON.stringify(value.slice(0, 80))}`}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}
