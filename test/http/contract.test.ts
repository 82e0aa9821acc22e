import t from 'tap';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { contract } from '../helpers/openapiContract.js';
import { shippedApp } from '../helpers/app.js';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { startInstance } from '../helpers/service.js';

/** Every route the app serves, as "METHOD /path/{param}", read from Fastify's own route tree. */
function servedRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.+?)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('').replace(/:(\w+)/g, '{$1}');
    for (const method of (match[3] ?? '').split(', ').filter((m) => m && m !== 'HEAD'))
      routes.push(`${method} ${path}`);
  }
  return routes;
}

t.test('openapi.yaml is a valid OpenAPI 3 document', async (t) => {
  const result = await new Validator().validate(contract().document as Parameters<Validator['validate']>[0]);
  t.same(result.errors ?? [], [], 'no schema errors');
  t.equal(result.valid, true);
});

t.test('every route the app serves is documented, and every documented operation is served', async (t) => {
  // Composed as in production with Redis and the admin API on, so every route is there.
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const instance = await startInstance(redis.url, { namespace: testNamespace() });
  t.teardown(() => instance.close());
  const { app } = instance;
  await app.ready();
  const served = servedRoutes(app).filter((r) => !r.includes(' /docs/'));
  const documented = Object.entries(contract().document.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((k) => /^(get|post|put|patch|delete)$/.test(k))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );
  t.ok(served.includes('GET /v1/route'), 'the route tree was read');
  t.same(
    served.filter((r) => !documented.includes(r)),
    [],
    'served but not documented',
  );
  t.same(
    documented.filter((r) => !served.includes(r)),
    [],
    'documented but not served',
  );
});

t.test('each endpoint answers as documented (the recorder checks every response against openapi.yaml)', async (t) => {
  const limits = {
    windowMs: 60_000,
    publicPerIp: 2,
    telephonyPerIp: 2,
    telephonyPerKey: 2,
    adminPerIp: 2,
    telephonyApiKeys: [],
  };
  const { app, tables } = await shippedApp({ rateLimit: limits, bodyLimit: 512 });
  t.teardown(() => app.close());
  const requests: Array<InjectOptions & { method: string; url: string }> = [
    { method: 'GET', url: '/v1/route?phone=%2B12122267834' },
    { method: 'GET', url: '/v1/route?phone=Anonymous', remoteAddress: '192.0.2.2' },
    { method: 'GET', url: '/v1/route?zip=1', remoteAddress: '192.0.2.3' },
    { method: 'POST', url: '/v1/route', payload: { lat: 40.7, lon: -74 }, remoteAddress: '192.0.2.4' },
    { method: 'POST', url: '/v1/route', payload: { zip: '1'.repeat(600) }, remoteAddress: '192.0.2.5' },
    {
      method: 'POST',
      url: '/v1/route',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
      remoteAddress: '192.0.2.6',
    },
    { method: 'GET', url: '/v1/zips/10001' },
    { method: 'GET', url: '/v1/zips/99999' },
    { method: 'GET', url: '/v1/zips/10001' },
    { method: 'GET', url: '/v1/route?zip=10001' },
    { method: 'GET', url: '/v1/route?zip=10001' },
    { method: 'GET', url: '/healthz' },
    { method: 'GET', url: '/readyz' },
    { method: 'GET', url: '/metrics' },
    { method: 'GET', url: '/openapi.yaml', remoteAddress: '192.0.2.8' },
    { method: 'GET', url: '/docs', remoteAddress: '192.0.2.9' },
  ];
  const statuses: string[] = [];
  for (const request of requests) {
    const res = await app.inject(request);
    statuses.push(`${request.method} ${request.url.slice(0, 40)} ${res.statusCode}`);
  }
  t.match(statuses, [
    'GET /v1/route?phone=%2B12122267834 200',
    'GET /v1/route?phone=Anonymous 200',
    'GET /v1/route?zip=1 400',
    'POST /v1/route 200',
    'POST /v1/route 413',
    'POST /v1/route 415',
    'GET /v1/zips/10001 200',
    'GET /v1/zips/99999 200',
    'GET /v1/zips/10001 429',
    'GET /v1/route?zip=10001 200',
    'GET /v1/route?zip=10001 429',
    'GET /healthz 200',
    'GET /readyz 200',
    'GET /metrics 200',
    'GET /openapi.yaml 200',
    'GET /docs 200',
  ]);
  tables.swap(tables.table!, 'embedded'); // readiness after a swap
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
});

t.test('the contract check fails a response that does not match', async (t) => {
  const check = contract();
  t.equal(
    check.problemWith({
      method: 'GET',
      url: '/healthz',
      statusCode: 200,
      contentType: 'application/json',
      body: '{"status":"ok"}',
    }),
    null,
  );
  t.match(
    check.problemWith({
      method: 'GET',
      url: '/healthz',
      statusCode: 200,
      contentType: 'application/json',
      body: '{"status":"fine"}',
    }),
    /does not match/,
  );
  t.match(
    check.problemWith({
      method: 'GET',
      url: '/v1/route?zip=1',
      statusCode: 418,
      contentType: 'application/json',
      body: '{}',
    }),
    /status not documented/,
  );
  t.match(
    check.problemWith({ method: 'GET', url: '/v1/zips/10001', statusCode: 200, contentType: 'text/html', body: '<p>' }),
    /content-type text\/html not documented/,
  );
  t.match(
    check.problemWith({
      method: 'GET',
      url: '/v1/secret',
      statusCode: 200,
      contentType: 'application/json',
      body: '{}',
    }),
    /path not in openapi.yaml/,
  );
});
