import t, { type Test } from 'tap';
import { startRedis, testNamespace, type RedisServerOptions } from '../helpers/redisServer.js';
import { startInstance } from '../helpers/service.js';

const RISK_LOG = /the tables in Redis are at risk/g;

/** What /readyz, /metrics and the log say about a Redis started with these settings. */
async function observe(t: Test, options: RedisServerOptions) {
  const redis = await startRedis(options);
  t.teardown(() => redis.stop());
  const instance = await startInstance(redis.url, { namespace: testNamespace() });
  t.teardown(() => instance.close());
  const ready = await instance.inject('/readyz');
  const metrics = (await instance.inject('/metrics')).body;
  const gauge = (reason: string) =>
    Number(new RegExp(`crisis_route_redis_keys_at_risk\\{reason="${reason}"\\} (\\d)`).exec(metrics)?.[1]);
  return { status: ready.statusCode, body: ready.json(), gauge, logs: instance.logs.text };
}

const managed = !process.env.REDIS_URL;
const skip = managed ? false : 'REDIS_URL is set: this harness cannot start Redis with chosen settings';

t.test('a Redis without persistence: at risk in readiness, metric and log, yet ready', { skip }, async (t) => {
  const seen = await observe(t, {});
  t.equal(seen.status, 200, 'it still routes');
  t.match(seen.body, {
    ready: true,
    redis: {
      reachable: true,
      durability: { persistence: 'none', evictionPolicy: 'noeviction', atRisk: true, risks: ['no_persistence'] },
    },
  });
  t.equal(seen.gauge('no_persistence'), 1);
  t.equal(seen.gauge('eviction_policy'), 0);
  t.equal(seen.logs.match(RISK_LOG)?.length, 1, 'warned once');
  t.match(seen.logs, /set appendonly yes/);
});

t.test('AOF and noeviction: not at risk', { skip }, async (t) => {
  const seen = await observe(t, { persistent: true, args: ['--maxmemory-policy', 'noeviction'] });
  t.match(seen.body, {
    redis: { durability: { persistence: 'aof', evictionPolicy: 'noeviction', atRisk: false, risks: [] } },
  });
  t.equal(seen.gauge('no_persistence'), 0);
  t.equal(seen.gauge('eviction_policy'), 0);
  t.notMatch(seen.logs, RISK_LOG);
  t.match(seen.logs, /Redis keeps the tables: append-only file, no eviction/);
});

t.test('an eviction policy that may drop keys is at risk, with RDB snapshots too', { skip }, async (t) => {
  const seen = await observe(t, {
    persistent: true,
    args: ['--appendonly', 'no', '--save', '3600 1', '--maxmemory-policy', 'allkeys-lru'],
  });
  t.match(seen.body, {
    redis: {
      durability: {
        persistence: 'rdb',
        evictionPolicy: 'allkeys-lru',
        atRisk: true,
        risks: ['no_persistence', 'eviction_policy'],
      },
    },
  });
  t.equal(seen.gauge('eviction_policy'), 1);
  t.match(seen.logs, /maxmemory-policy allkeys-lru may evict the tables/);
});

t.test('a Redis that refuses CONFIG (as managed ones may): persistence unknown, not an error', { skip }, async (t) => {
  const seen = await observe(t, { args: ['--rename-command', 'CONFIG', ''] });
  t.equal(seen.status, 200);
  t.match(seen.body, {
    redis: {
      reachable: true,
      lastError: null,
      durability: { persistence: 'unknown', evictionPolicy: 'noeviction', atRisk: false },
    },
  });
  t.equal(seen.gauge('no_persistence'), 0);
  t.match(seen.logs, /Redis does not say how it keeps its keys/);
});
