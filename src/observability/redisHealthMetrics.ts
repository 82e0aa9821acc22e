import { Gauge, type Registry } from 'prom-client';
import { KEYS_AT_RISK } from '../store/redisDurability.js';
import type { RedisHealth } from '../store/redisHealth.js';

/** crisis_route_redis_keys_at_risk{reason}: 1 while Redis's settings could lose the tables. */
export function redisHealthMetrics(register: Registry, health: RedisHealth): void {
  new Gauge({
    name: 'crisis_route_redis_keys_at_risk',
    help:
      'Whether the tables in Redis could be lost, by reason: no_persistence (no append-only file), ' +
      'eviction_policy (maxmemory-policy is not noeviction)',
    labelNames: ['reason'],
    registers: [register],
    collect() {
      for (const reason of KEYS_AT_RISK) this.set({ reason }, health.atRisk(reason) ? 1 : 0);
    },
  });
}
