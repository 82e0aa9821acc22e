import t from 'tap';
import { shippedApp } from '../helpers/app.js';

t.test(
  'every data answer carries the API security headers: nothing in it may be rendered, framed or run',
  async (t) => {
    const { app } = await shippedApp();
    t.teardown(() => app.close());
    for (const url of [
      '/v1/route?zip=10001',
      '/v1/route?zip=bad',
      '/v1/route.txt?zip=10001',
      '/healthz',
      '/v1/zips/10001',
      '/widget.js',
      '/no/such/path',
    ]) {
      const res = await app.inject({ method: 'GET', url });
      t.equal(res.headers['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", `${url} CSP`);
      t.equal(res.headers['x-content-type-options'], 'nosniff', `${url} nosniff`);
      t.equal(res.headers['x-powered-by'], undefined);
    }
  },
);

t.test(
  'answers a browser may load also carry the browser headers; answers to phone systems and monitors do not',
  async (t) => {
    const { app } = await shippedApp();
    t.teardown(() => app.close());
    const browserHeaders = (headers: Record<string, unknown>) => ({
      frame: headers['x-frame-options'],
      referrer: headers['referrer-policy'],
      hsts: headers['strict-transport-security'],
      corp: headers['cross-origin-resource-policy'],
    });
    const full = {
      frame: 'DENY',
      referrer: 'no-referrer',
      hsts: 'max-age=31536000; includeSubDomains',
      corp: 'cross-origin',
    };
    for (const url of ['/v1/zips/10001', '/widget.js', '/openapi.yaml', '/no/such/path'])
      t.same(browserHeaders((await app.inject({ method: 'GET', url })).headers), full, `${url}: for browsers`);
    const none = { frame: undefined, referrer: undefined, hsts: undefined, corp: undefined };
    for (const url of ['/v1/route?zip=10001', '/v1/route.txt?zip=10001', '/healthz', '/readyz', '/metrics'])
      t.same(browserHeaders((await app.inject({ method: 'GET', url })).headers), none, `${url}: machine-facing`);
    t.same(
      browserHeaders((await app.inject({ method: 'POST', url: '/v1/twilio/voice', payload: {} })).headers),
      none,
      'the Twilio webhook: machine-facing',
    );
  },
);

t.test("the demo page carries helmet's headers for pages", async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'GET', url: '/demo' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-security-policy'], /default-src 'self'/);
  t.match(res.headers['content-security-policy'], /script-src 'self'/);
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
});

t.test('no CORS grant unless a route configures one', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const res = await app.inject({
    method: 'GET',
    url: '/v1/route?zip=10001',
    headers: { origin: 'https://partner.example' },
  });
  t.equal(res.headers['access-control-allow-origin'], undefined);
});

t.test('a body over the limit is refused with 413 and a JSON error', async (t) => {
  const { app } = await shippedApp({ bodyLimit: 1024 });
  t.teardown(() => app.close());
  const res = await app.inject({
    method: 'POST',
    url: '/v1/route',
    payload: { phone: '+12122267834', padding: 'x'.repeat(2000) },
  });
  t.equal(res.statusCode, 413);
  t.same(res.json<{ error: { code: string } }>().error.code, 'body_too_large');
});

t.test('an internal error answers without a stack trace or internals', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  app.get('/test-only/boom', async () => {
    throw new TypeError('Cannot read properties of undefined (reading "secretThing") at /app/dist/src/x.js:1:1');
  });
  const res = await app.inject({ method: 'GET', url: '/test-only/boom' });
  t.equal(res.statusCode, 500);
  t.same(res.json(), { error: { code: 'internal', message: 'internal error' } });
});

t.test('the API contract is served at /openapi.yaml and browsable at /docs with local assets only', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const yaml = await app.inject({ method: 'GET', url: '/openapi.yaml' });
  t.equal(yaml.statusCode, 200);
  t.match(yaml.headers['content-type'], /^application\/yaml/);
  t.match(yaml.body, /^openapi: 3\./);
  const docs = await app.inject({ method: 'GET', url: '/docs' });
  t.equal(docs.statusCode, 200);
  t.match(docs.headers['content-type'], /^text\/html/);
  const assets = [...docs.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
  t.ok(assets.length >= 3, 'the page loads scripts and styles');
  for (const asset of assets) {
    t.match(asset, /^\/docs\//, `${asset} is served by this service, not a CDN`);
    t.equal((await app.inject({ method: 'GET', url: asset })).statusCode, 200, `${asset} is there`);
  }
  t.match(
    docs.headers['content-security-policy'],
    /script-src 'self'/,
    'the docs page has a CSP that allows its own scripts',
  );
  const json = await app.inject({ method: 'GET', url: '/docs/json' });
  t.equal(json.json<{ openapi: string }>().openapi.slice(0, 2), '3.');
});
