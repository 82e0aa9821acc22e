import t from 'tap';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import type { RateLimitSettings } from '../../src/http/rateLimit/rateLimits.js';
import { rateLimitRedis } from '../../src/http/rateLimit/rateLimitRedis.js';
import { shippedApp } from '../helpers/app.js';
import { startRedis } from '../helpers/redisServer.js';
import { eventually } from '../helpers/service.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const skip = redisServer.managed ? false : 'REDIS_URL is set: cannot hang a Redis this harness did not start';

const limits: Omit<RateLimitSettings, 'redis'> = {
  windowMs: 60_000,
  publicPerIp: 1000,
  telephonyPerIp: 1000,
  telephonyPerKey: 1000,
  adminPerIp: 1000,
  telephonyApiKeys: [],
};
const OUTAGE_LOG = /rate limits count in this instance's memory/g;
const RETURN_LOG = /rate limits count in Redis again/g;

t.test(
  "with the limiter's Redis hung, widget requests wait no Redis timeout; the outage is logged once",
  { skip },
  async (t) => {
    const connection = rateLimitRedis(redisServer.url);
    const direct = new Redis(redisServer.url);
    t.teardown(() => [connection, direct].forEach((c) => c.disconnect()));
    await Promise.all([once(connection, 'ready'), once(direct, 'ready')]);
    const { app, logs } = await shippedApp({ rateLimit: { ...limits, redis: connection } });
    t.teardown(() => app.close());
    const zip = async () => {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url: '/v1/zips/10001', remoteAddress: '198.51.100.30' });
      return {
        status: res.statusCode,
        ms: performance.now() - started,
        remaining: Number(res.headers['x-ratelimit-remaining']),
      };
    };
    const inRedis = async () => Number((await direct.get('crisis-route:rl:public:198.51.100.30')) ?? 0);
    const countedInRedis = async () => {
      const before = await inRedis();
      await zip();
      return (await inRedis()) === before + 1;
    };
    const seen = (pattern: RegExp) => logs.text.match(pattern)?.length ?? 0;
    // On a very busy machine a count can miss the circuit's deadline and open it: start from a closed one.
    await eventually(countedInRedis, 15_000);
    const countBefore = await inRedis();
    const outagesBefore = seen(OUTAGE_LOG);
    const returnsBefore = seen(RETURN_LOG);

    redisServer.pause();
    t.teardown(() => redisServer.resume());
    const hung = [];
    for (let i = 0; i < 20; i++) hung.push(await zip());
    t.ok(
      hung.every((r) => r.status === 200),
      'every request is answered',
    );
    const times = hung.map((r) => r.ms).sort((a, b) => a - b);
    const [median, slowest] = [times[times.length >> 1]!, times.at(-1)!];
    const report = `median ${median.toFixed(1)} ms, slowest ${slowest.toFixed(1)} ms`;
    // Before the circuit, every request waited the limiter's 250 ms Redis timeout.
    t.ok(median < 50, `requests do not wait on the hung Redis: ${report}`);
    const counts = hung.map((r) => r.remaining);
    t.ok(
      counts.every((n, i) => i === 0 || n === counts[i - 1]! - 1),
      `counted in memory meanwhile: ${counts.join(' ')}`,
    );
    t.equal(seen(OUTAGE_LOG) - outagesBefore, 1, 'the outage is logged once, not per request');

    redisServer.resume();
    await eventually(() => seen(RETURN_LOG) > returnsBefore, 15_000);
    // Only the request that found Redis hung sent it a count (answered once Redis woke); the rest stayed local.
    t.ok((await inRedis()) - countBefore <= 1, `at most one count reached Redis during the hang`);
    t.ok(await countedInRedis(), 'counting in Redis again');
  },
);

t.test("with the limiter's Redis out of memory, requests are answered and counted in memory", { skip }, async (t) => {
  const connection = rateLimitRedis(redisServer.url);
  t.teardown(() => connection.disconnect());
  await once(connection, 'ready');
  const { app, logs } = await shippedApp({ rateLimit: { ...limits, redis: connection } });
  t.teardown(() => app.close());
  await connection.config('SET', 'maxmemory', '1');
  t.teardown(() => connection.config('SET', 'maxmemory', '0'));
  const codes = [];
  for (let i = 0; i < 5; i++)
    codes.push((await app.inject({ method: 'GET', url: '/v1/zips/10001', remoteAddress: '198.51.100.31' })).statusCode);
  t.same(codes, [200, 200, 200, 200, 200]);
  t.equal(logs.text.match(OUTAGE_LOG)?.length, 1, 'logged once');
});
