import t from 'tap';
import type { InjectOptions } from 'fastify';
import type { RateLimitSettings } from '../../src/http/rateLimit/rateLimits.js';
import type { AdminOptions } from '../../src/http/routes/admin/admin.js';
import type { TablesAdmin } from '../../src/tables/tablesAdmin.js';
import { shippedApp } from '../helpers/app.js';

const limits: RateLimitSettings = {
  windowMs: 60_000,
  publicPerIp: 3,
  telephonyPerIp: 4,
  telephonyPerKey: 8,
  adminPerIp: 2,
  telephonyApiKeys: [{ label: 'acme-telecom', key: 'k-0123456789abcdef' }],
};

/** The admin API switched on; requests without a token never reach its service. */
const adminOptionsForLimits = (): AdminOptions => ({
  service: {} as TablesAdmin,
  tokens: new Map([['ops', 'ops-token-0123456789']]),
  maxUploadBytes: 1024,
  storeReachable: () => true,
});

t.test("each route counts against its audience's allowance: telephony, public, admin, or none", async (t) => {
  const { app } = await shippedApp({ rateLimit: limits, admin: adminOptionsForLimits() });
  t.teardown(() => app.close());
  const requests: Array<[string, InjectOptions]> = [
    ['/v1/route', { method: 'GET', url: '/v1/route?zip=10001' }],
    ['/v1/route (POST)', { method: 'POST', url: '/v1/route', payload: { zip: '10001' } }],
    ['/v1/route.txt', { method: 'GET', url: '/v1/route.txt?zip=10001' }],
    ['/v1/twilio/voice', { method: 'POST', url: '/v1/twilio/voice', payload: { From: '+12122267834' } }],
    ['/healthz', { method: 'GET', url: '/healthz' }],
    ['/readyz', { method: 'GET', url: '/readyz' }],
    ['/metrics', { method: 'GET', url: '/metrics' }],
    ['/v1/zips/:zip', { method: 'GET', url: '/v1/zips/10001' }],
    ['/widget.js', { method: 'GET', url: '/widget.js' }],
    ['/demo', { method: 'GET', url: '/demo' }],
    ['/openapi.yaml', { method: 'GET', url: '/openapi.yaml' }],
    ['/v1/admin/datasets', { method: 'GET', url: '/v1/admin/datasets' }],
  ];
  const allowances: Record<string, number | 'none'> = {};
  for (const [i, [name, request]] of requests.entries()) {
    const remoteAddress = `198.51.100.${i + 10}`;
    let allowed = 0;
    while (allowed < 10 && (await app.inject({ ...request, remoteAddress })).statusCode !== 429) allowed++;
    allowances[name] = allowed === 10 ? 'none' : allowed;
  }
  t.same(allowances, {
    '/v1/route': 4,
    '/v1/route (POST)': 4,
    '/v1/route.txt': 4,
    '/v1/twilio/voice': 'none',
    '/healthz': 'none',
    '/readyz': 'none',
    '/metrics': 'none',
    '/v1/zips/:zip': 3,
    '/widget.js': 3,
    '/demo': 3,
    '/openapi.yaml': 3,
    '/v1/admin/datasets': 2,
  });
});

t.test('the public widget endpoint is limited per client address, and a 429 says when to retry', async (t) => {
  const { app } = await shippedApp({ rateLimit: limits });
  t.teardown(() => app.close());
  const zip = (remoteAddress: string) => app.inject({ method: 'GET', url: '/v1/zips/10001', remoteAddress });
  for (let i = 0; i < 3; i++) t.equal((await zip('198.51.100.7')).statusCode, 200, `request ${i + 1} of 3 allowed`);
  const limited = await zip('198.51.100.7');
  t.equal(limited.statusCode, 429);
  t.match(limited.headers['retry-after'], /^\d+$/);
  t.ok(
    Number(limited.headers['retry-after']) > 0 && Number(limited.headers['retry-after']) <= 60,
    'Retry-After within the window',
  );
  t.equal(limited.json<{ error: { code: string } }>().error.code, 'rate_limited');
  t.equal((await zip('198.51.100.8')).statusCode, 200, 'another address has its own allowance');
});

t.test('health, readiness and metrics are never limited', async (t) => {
  const { app } = await shippedApp({ rateLimit: { ...limits, publicPerIp: 1, telephonyPerIp: 1, adminPerIp: 1 } });
  t.teardown(() => app.close());
  for (let i = 0; i < 5; i++) {
    for (const url of ['/healthz', '/readyz', '/metrics'])
      t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);
  }
});

t.test(
  'behind a trusted proxy the client address comes from X-Forwarded-For; otherwise that header is ignored',
  async (t) => {
    const trusted = await shippedApp({ rateLimit: limits, trustProxy: 1 });
    const direct = await shippedApp({ rateLimit: limits });
    t.teardown(() => Promise.all([trusted.app.close(), direct.app.close()]));
    const viaProxy = (app: typeof trusted.app, client: string) =>
      app.inject({
        method: 'GET',
        url: '/v1/zips/10001',
        remoteAddress: '10.0.0.2',
        headers: { 'x-forwarded-for': client },
      });
    for (let i = 0; i < 3; i++) await viaProxy(trusted.app, '203.0.113.1');
    t.equal((await viaProxy(trusted.app, '203.0.113.1')).statusCode, 429, 'the client behind the proxy is limited');
    t.equal(
      (await viaProxy(trusted.app, '203.0.113.2')).statusCode,
      200,
      'another client behind the same proxy is not',
    );
    for (let i = 0; i < 3; i++) await viaProxy(direct.app, `203.0.113.${10 + i}`);
    t.equal(
      (await viaProxy(direct.app, '203.0.113.99')).statusCode,
      429,
      'an untrusted X-Forwarded-For cannot buy a fresh allowance',
    );
  },
);

t.test('telephony clients with an API key get their own, higher limit; an unknown key counts as no key', async (t) => {
  const { app } = await shippedApp({ rateLimit: limits });
  t.teardown(() => app.close());
  const call = (headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/v1/route?phone=%2B12122267834', remoteAddress: '192.0.2.50', headers });
  const keyed = [];
  for (let i = 0; i < 9; i++) keyed.push((await call({ 'x-api-key': 'k-0123456789abcdef' })).statusCode);
  t.same(keyed, [200, 200, 200, 200, 200, 200, 200, 200, 429], 'the key allows 8 per window');
  const anonymous = [];
  for (let i = 0; i < 5; i++) anonymous.push((await call({ 'x-api-key': 'not-a-key-at-all-000' })).statusCode);
  t.same(anonymous, [200, 200, 200, 200, 429], 'the address allows 4 per window, separately from the key');
  const posts = [];
  for (let i = 0; i < 5; i++)
    posts.push(
      (await app.inject({ method: 'POST', url: '/v1/route', remoteAddress: '192.0.2.51', payload: { zip: '10001' } }))
        .statusCode,
    );
  t.same(posts, [200, 200, 200, 200, 429], 'POST /v1/route is in the telephony group');
});

t.test(
  'a telephony answer carries rate-limit headers only when it is refused, and then says when to retry',
  async (t) => {
    const { app } = await shippedApp({ rateLimit: { ...limits, telephonyPerIp: 1 } });
    t.teardown(() => app.close());
    const call = () => app.inject({ method: 'GET', url: '/v1/route?zip=10001', remoteAddress: '192.0.2.60' });
    const allowed = await call();
    t.equal(allowed.statusCode, 200);
    t.same(
      Object.keys(allowed.headers).filter((h) => h.startsWith('x-ratelimit') || h === 'retry-after'),
      [],
    );
    const refused = await call();
    t.equal(refused.statusCode, 429);
    t.equal(refused.json<{ error: { code: string } }>().error.code, 'rate_limited');
    t.equal(refused.headers['x-ratelimit-limit'], '1');
    t.equal(refused.headers['x-ratelimit-remaining'], '0');
    const retryAfter = Number(refused.headers['retry-after']);
    t.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter} s is within the window`);
    t.equal(refused.headers['x-ratelimit-reset'], refused.headers['retry-after']);
  },
);
