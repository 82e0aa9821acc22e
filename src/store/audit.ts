import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { RedisKeys } from './redisKeys.js';

export type AuditEntry = {
  at: string;
  /** The token label (or "cli" and the OS user for the direct CLI). */
  who: string;
  action:
    | 'upload'
    | 'dry-run'
    | 'geography'
    | 'geography-dry-run'
    | 'activate'
    | 'export'
    | 'list'
    | 'seed'
    | 'restore'
    | 'denied';
  version?: string | null;
  previous?: string | null;
  outcome: 'ok' | 'rejected' | 'failed';
  detail?: string;
};

const KEEP = 1000;

export type AuditLog = Pick<FastifyBaseLogger, 'info' | 'warn'>;

/** Every admin action is logged and kept in Redis (newest first, capped); a Redis fault never loses the log line. */
export class AuditTrail {
  constructor(
    private readonly redis: Redis | null,
    private readonly keys: RedisKeys,
  ) {}

  async record(entry: Omit<AuditEntry, 'at'>, log: AuditLog, now = Date.now()): Promise<void> {
    const full: AuditEntry = { at: new Date(now).toISOString(), ...entry };
    log.info({ audit: full }, `admin ${full.action} by ${full.who}: ${full.outcome}`);
    if (!this.redis) return;
    try {
      await this.redis
        .multi()
        .lpush(this.keys.audit, JSON.stringify(full))
        .ltrim(this.keys.audit, 0, KEEP - 1)
        .exec();
    } catch (error) {
      log.warn({ err: { message: (error as Error).message } }, 'audit entry not stored in Redis (it is in this log)');
    }
  }

  async recent(count = 50): Promise<AuditEntry[]> {
    if (!this.redis) return [];
    return (await this.redis.lrange(this.keys.audit, 0, count - 1)).map((line) => JSON.parse(line) as AuditEntry);
  }
}
