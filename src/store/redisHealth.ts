import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { waitForReady } from './redisConnection.js';
import { describeRisks, readDurability, type Durability, type KeysAtRisk } from './redisDurability.js';
import { storeFault, storeProblemOf, UNREACHABLE, type StoreFault, type StoreProblem } from './storeFaults.js';
import type { FollowerStatus } from './tableFollower.js';

/** How long the control connection waits for any answer: admin calls and health checks alike. */
export const CONTROL_COMMAND_TIMEOUT_MS = 1000;

type HealthLog = Pick<FastifyBaseLogger, 'info' | 'warn'>;

export type RedisHealthOptions = {
  pingEveryMs?: number;
  durabilityEveryMs?: number;
  now?: () => number;
};

/**
 * The connection admin calls and health checks share: a short command timeout (the data connection's
 * is longer, for large loads), its own name in CLIENT LIST, and its errors handled here.
 */
export function asControlConnection(redis: Redis): Redis {
  redis.options.connectionName = 'crisis-route-control';
  redis.options.commandTimeout = CONTROL_COMMAND_TIMEOUT_MS;
  // Without a listener ioredis prints every failed reconnect to stderr; the PINGs report the outage.
  redis.on('error', () => {});
  return redis;
}

/** What /readyz says under `redis`: the follower's view, corrected by whether Redis answers at all. */
export type RedisReadiness = FollowerStatus & { lastAnswerAt: string | null; durability: Durability | null };

/**
 * Asks Redis often whether it answers (a hung Redis keeps its sockets open, so the connection
 * alone looks fine) and, on every connect and now and then, how it keeps its keys.
 * Logs a change once, not every check.
 */
export class RedisHealth {
  private answering = true;
  private problem: StoreProblem | null = null;
  private lastAnswerAt: number | null = null;
  private durability: Durability | null = null;
  private reportedDurability = '';
  private pinging = false;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private log: HealthLog = { info: () => {}, warn: () => {} };

  constructor(
    /** The control connection (see asControlConnection). */
    private readonly redis: Redis,
    private readonly options: RedisHealthOptions = {},
  ) {}

  /** Starts checking; resolves after the first checks, or once `connectTimeoutMs` passed without Redis. */
  async start(log: HealthLog, connectTimeoutMs: number): Promise<void> {
    const { redis } = this;
    this.log = log;
    redis.on('ready', () => void this.checkAll());
    const every = (ms: number, check: () => Promise<void>) => {
      const timer = setInterval(() => void check(), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.pingEveryMs ?? 1000, () => this.ping());
    every(this.options.durabilityEveryMs ?? 60_000, () => this.checkDurability());
    if (await waitForReady(redis, connectTimeoutMs)) await this.checkAll();
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    this.redis.disconnect();
  }

  /** Whether the last health check was answered (true until one fails). */
  get isAnswering(): boolean {
    return this.answering && this.redis.status === 'ready';
  }

  /** An admin call's error as a 503 answer (null when it is not Redis's fault); remembers out-of-memory. */
  fault(error: Error): StoreFault | null {
    const fault = storeFault(error, CONTROL_COMMAND_TIMEOUT_MS) ?? (this.isAnswering ? null : UNREACHABLE);
    if (fault?.problem === 'out_of_memory') this.problem = 'out_of_memory';
    return fault;
  }

  atRisk(reason: KeysAtRisk): boolean {
    return this.durability?.risks.includes(reason) ?? false;
  }

  /** The follower's status with reachability and the last error as this monitor knows them. */
  readiness(follower: FollowerStatus): RedisReadiness {
    return {
      ...follower,
      reachable: follower.reachable && this.isAnswering,
      lastError: this.problem ?? follower.lastError,
      lastAnswerAt: this.lastAnswerAt === null ? null : new Date(this.lastAnswerAt).toISOString(),
      durability: this.durability,
    };
  }

  private async checkAll(): Promise<void> {
    await Promise.all([this.ping(), this.checkDurability()]);
  }

  /** One PING at a time: while Redis hangs, the one outstanding times out and the next tick asks again. */
  private async ping(): Promise<void> {
    if (this.pinging || this.stopped || this.redis.status !== 'ready') return;
    this.pinging = true;
    try {
      await this.redis.ping();
      this.lastAnswerAt = this.now();
      if (!this.answering) this.log.info('Redis answers again');
      this.answering = true;
      // A full Redis answers PINGs: only its memory figures say when it has room again.
      if (this.problem === 'out_of_memory') void this.checkDurability();
      else this.problem = null;
    } catch (error) {
      const problem = storeProblemOf((error as Error).message) ?? 'other';
      if (this.answering && !this.stopped) {
        const seconds = CONTROL_COMMAND_TIMEOUT_MS / 1000;
        const why = problem === 'timeout' ? `did not answer a PING within ${seconds} s` : `failed a PING (${problem})`;
        this.log.warn({ problem }, `Redis ${why}; routing continues on the loaded tables`);
      }
      this.answering = false;
      this.problem = problem;
    } finally {
      this.pinging = false;
    }
  }

  private async checkDurability(): Promise<void> {
    if (this.stopped || this.redis.status !== 'ready') return;
    let durability: Durability;
    try {
      durability = await readDurability(this.redis);
    } catch {
      return; // not answering: the PING says so; the next connect or tick reads again
    }
    this.durability = durability;
    if (durability.memoryFull) this.problem = 'out_of_memory';
    else if (this.problem === 'out_of_memory') this.problem = null;
    this.report(durability);
  }

  private report(durability: Durability): void {
    const { persistence, evictionPolicy, risks, memoryFull } = durability;
    const signature = JSON.stringify([persistence, evictionPolicy, memoryFull]);
    if (signature === this.reportedDurability) return;
    this.reportedDurability = signature;
    const fields = { persistence, evictionPolicy, risks };
    const { log } = this;
    if (durability.atRisk) log.warn(fields, `the tables in Redis are at risk: ${describeRisks(durability)}`);
    else if (persistence === 'unknown' || evictionPolicy === 'unknown') {
      log.info(fields, 'Redis does not say how it keeps its keys (CONFIG or INFO refused): check them by hand');
    } else log.info(fields, 'Redis keeps the tables: append-only file, no eviction');
    if (memoryFull) log.warn({ evictionPolicy }, 'Redis is at its maxmemory: it refuses every write (uploads too)');
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
