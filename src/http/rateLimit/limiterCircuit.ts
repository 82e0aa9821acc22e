import { createRequire } from 'node:module';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { storeProblemOf } from '../../store/storeFaults.js';

type Count = { current: number; ttl: number };
type Counted = (error: Error | null, result?: Count) => void;
type Store = Pick<FastifyRateLimitStore, 'incr'>;
type StoreClass<A extends unknown[]> = new (...args: A) => Store;

// The plugin's own stores, so keys and window arithmetic stay exactly the plugin's.
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as StoreClass<[boolean, boolean, Redis, string]>;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as StoreClass<[boolean, boolean]>;

export type CircuitOptions = {
  /** How long a count may take in Redis before this request is counted in memory instead. */
  answerWithinMs?: number;
  /** How often an open circuit tries Redis again, in the background. */
  probeEveryMs?: number;
};

/**
 * Whether the rate limiter counts in Redis. Open (counting in this instance's memory) from the
 * first count Redis fails or answers late until a background probe write succeeds, so a hung or
 * full Redis costs a request at most one short wait, and the outage is logged once.
 */
export class LimiterCircuit {
  private openSince: number | null = null;
  private probe: NodeJS.Timeout | null = null;
  private probing = false;
  private stopped = false;
  private everReady: boolean;
  readonly answerWithinMs: number;

  constructor(
    readonly redis: Redis,
    private readonly log: Pick<FastifyBaseLogger, 'info' | 'warn'>,
    private readonly options: CircuitOptions = {},
  ) {
    this.answerWithinMs = options.answerWithinMs ?? 50;
    this.everReady = redis.status === 'ready';
    redis.on('ready', () => (this.everReady = true));
    redis.on('close', () => this.open('connection_lost'));
  }

  /** Whether a count should go to Redis now. Before the first connect, counts stay in memory quietly. */
  get closed(): boolean {
    if (this.redis.status !== 'ready') {
      if (this.everReady) this.open('connection_lost');
      return false;
    }
    return this.openSince === null;
  }

  open(reason: string): void {
    if (this.openSince !== null || this.stopped || !this.everReady) return;
    this.openSince = Date.now();
    const problem = storeProblemOf(reason) ?? 'other';
    this.log.warn({ problem }, "rate limits count in this instance's memory until Redis answers again");
    this.probe = setInterval(() => void this.tryRedis(), this.options.probeEveryMs ?? 1000);
    this.probe.unref();
  }

  /** At shutdown: the connection closing then is no outage. */
  stop(): void {
    this.stopped = true;
    this.closeProbe();
  }

  private closeProbe(): void {
    if (this.probe) clearInterval(this.probe);
    this.probe = null;
  }

  /** A write, as counting is: a Redis that answers reads but refuses writes (out of memory) stays open. */
  private async tryRedis(): Promise<void> {
    if (this.probing || this.redis.status !== 'ready') return;
    this.probing = true;
    try {
      await this.redis.set('crisis-route:rl:probe', '1', 'PX', 10_000);
      const outageMs = Date.now() - (this.openSince ?? Date.now());
      this.closeProbe();
      this.openSince = null;
      this.log.info({ outageMs }, 'rate limits count in Redis again');
    } catch {
      // still away: the next tick tries again
    } finally {
      this.probing = false;
    }
  }
}

/**
 * A @fastify/rate-limit store that counts in Redis while the circuit is closed and in memory
 * otherwise; a count Redis does not answer in time is made in memory and opens the circuit.
 */
export function failOpenStore(circuit: LimiterCircuit, nameSpace: string): FastifyRateLimitStoreCtor {
  const shared = new RedisStore(false, false, circuit.redis, nameSpace);
  const local = new LocalStore(false, false);
  const store: FastifyRateLimitStore = {
    incr(key: string, done: Counted, timeWindow: number, max: number) {
      if (!circuit.closed) return local.incr(key, done, timeWindow, max);
      let settled = false;
      const inMemory = (reason: string) => {
        settled = true;
        circuit.open(reason);
        local.incr(key, done, timeWindow, max);
      };
      const late = setTimeout(() => inMemory('Command timed out'), circuit.answerWithinMs);
      shared.incr(
        key,
        (error, result) => {
          if (settled) return;
          clearTimeout(late);
          if (error || !result) return inMemory(error?.message ?? 'no answer');
          settled = true;
          done(null, result);
        },
        timeWindow,
        max,
      );
    },
    child: () => store,
  };
  // The plugin constructs its store itself; this one exists already.
  return function FailOpenStore() {
    return store;
  } as unknown as FastifyRateLimitStoreCtor;
}
