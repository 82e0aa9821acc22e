import t from 'tap';
import { once } from 'node:events';
import type { RateLimitSettings } from '../../src/http/rateLimit/rateLimits.js';
import { rateLimitRedis, redisState } from '../../src/http/rateLimit/rateLimitRedis.js';
import { shippedApp } from '../helpers/app.js';
import { startRedis } from '../helpers/redisServer.js';

const limits: Omit<RateLimitSettings, 'redis'> = {
  windowMs: 60_000,
  publicPerIp: 4,
  telephonyPerIp: 3,
  telephonyPerKey: 10,
  adminPerIp: 2,
  telephonyApiKeys: [],
};

t.test(
  'with Redis, the public limit holds across instances; telephony counts per instance; an outage refuses nothing',
  async (t) => {
    const redis = await startRedis();
    t.teardown(() => redis.stop());
    const connA = rateLimitRedis(redis.url);
    const connB = rateLimitRedis(redis.url);
    t.teardown(() => {
      connA.disconnect();
      connB.disconnect();
    });
    await Promise.all([once(connA, 'ready'), once(connB, 'ready')]);
    const a = await shippedApp({ rateLimit: { ...limits, redis: connA }, redisStatus: () => redisState(connA) });
    const b = await shippedApp({ rateLimit: { ...limits, redis: connB }, redisStatus: () => redisState(connB) });
    t.teardown(() => Promise.all([a.app.close(), b.app.close()]));
    const zip = (app: typeof a.app) =>
      app.inject({ method: 'GET', url: '/v1/zips/10001', remoteAddress: '198.51.100.20' });
    const call = (app: typeof a.app) =>
      app.inject({ method: 'GET', url: '/v1/route?zip=10001', remoteAddress: '198.51.100.20' });

    t.test('four widget requests spread over two instances use up one allowance of four', async (t) => {
      const codes = [];
      for (const app of [a.app, b.app, a.app, b.app, a.app, b.app]) codes.push((await zip(app)).statusCode);
      t.same(codes, [200, 200, 200, 200, 429, 429]);
    });

    t.test("telephony is limited in each instance's memory, not in Redis", async (t) => {
      const codes = [];
      for (const app of [a.app, a.app, a.app, a.app, b.app]) codes.push((await call(app)).statusCode);
      t.same(codes, [200, 200, 200, 429, 200], 'instance B has its own count');
    });

    t.test('metrics report the Redis connection as ready', async (t) => {
      t.match(
        (await a.app.inject({ method: 'GET', url: '/metrics' })).body,
        /crisis_route_redis_state\{state="ready"\} 1/,
      );
    });

    t.test('with Redis killed, widget and telephony requests are answered, never refused', async (t) => {
      const closed = once(connA, 'close');
      await redis.kill();
      await closed;
      const widget = await zip(a.app);
      t.equal(widget.statusCode, 200, 'the widget request is served without counting');
      const fresh = await a.app.inject({
        method: 'GET',
        url: '/v1/route?phone=%2B13125550143',
        remoteAddress: '198.51.100.99',
      });
      t.equal(fresh.statusCode, 200, 'a telephony request is served');
      const post = await a.app.inject({
        method: 'POST',
        url: '/v1/route',
        remoteAddress: '198.51.100.98',
        payload: { phone: '+14155550143' },
      });
      t.equal(post.statusCode, 200);
      t.match(
        (await a.app.inject({ method: 'GET', url: '/metrics' })).body,
        /crisis_route_redis_state\{state="(connecting|down)"\} 1/,
        'metrics show Redis is not ready',
      );
    });
  },
);
