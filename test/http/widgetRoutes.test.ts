import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { shippedApp } from '../helpers/app.js';

const PARTNER = 'https://partner.example.org';
const settings = (origins: string[]) => ({
  dialTimeoutSeconds: 20,
  defaultLanguage: 'en' as const,
  wirelessZipOffer: true,
  widgetAllowedOrigins: origins,
});

t.test('GET /widget.js is small, cacheable, and carries the national line', async (t) => {
  const { app, tables } = await shippedApp();
  t.teardown(() => app.close());
  const res = await app.inject('/widget.js');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/javascript; charset=utf-8');
  t.equal(res.headers['cache-control'], 'public, max-age=3600');
  t.equal(res.headers['cross-origin-resource-policy'], 'cross-origin', 'partner pages may load it');
  t.equal(res.headers['access-control-allow-origin'], '*', 'and ask for it, to see that the service is up');
  t.equal(res.headers['content-encoding'], undefined, 'plain to a client that does not take gzip');
  t.ok(res.rawPayload.length < 16 * 1024, `${res.rawPayload.length} bytes as text, under 16 KB`);
  const national = tables.table!.national;
  t.match(
    res.body,
    `var national = ${JSON.stringify({ name: national.name, phone: national.phone, hours: national.hours })};`,
  );
  t.notMatch(res.body, /\/\*NATIONAL\*\//);
  const again = await app.inject({ url: '/widget.js', headers: { 'if-none-match': String(res.headers.etag) } });
  t.equal(again.statusCode, 304);
});

t.test('GET /widget.js goes gzipped to browsers, under 8 KB on the wire', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const plain = await app.inject('/widget.js');
  const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
  const res = await app.inject({ url: '/widget.js', headers: browser });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-encoding'], 'gzip');
  t.match(String(res.headers.vary), /accept-encoding/i);
  t.ok(res.rawPayload.length < 8 * 1024, `${res.rawPayload.length} bytes gzipped, under 8 KB`);
  t.equal(gunzipSync(res.rawPayload).toString('utf8'), plain.body, 'the same script');
  t.not(res.headers.etag, plain.headers.etag, 'each encoding has its own ETag');
  const again = await app.inject({
    url: '/widget.js',
    headers: { ...browser, 'if-none-match': String(res.headers.etag) },
  });
  t.equal(again.statusCode, 304);
  const refused = await app.inject({ url: '/widget.js', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
  t.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0 gets the text');
  const head = await app.inject({ method: 'HEAD', url: '/widget.js', headers: browser });
  t.equal(head.statusCode, 200, 'HEAD answers as GET, for the widget asking whether the service is up');
  t.equal(head.headers['access-control-allow-origin'], '*');
});

t.test('GET /demo embeds the widget with one script tag, over a fallback naming the national line', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const res = await app.inject('/demo');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/html/);
  t.match(res.body, '<script src="/widget.js" data-target="#find-help"></script>');
  const fallback = /<div id="find-help">\s*<p>(.*?)<\/p>\s*<\/div>/.exec(res.body)?.[1];
  t.equal(fallback, 'Call the national hotline at <a href="tel:+18005550100">(800) 555-0100</a>, open 24/7.');
});

t.test('CORS on the widget lookup only, for the configured origins', async (t) => {
  const { app } = await shippedApp({ callers: settings([PARTNER]) });
  t.teardown(() => app.close());
  const allowed = await app.inject({ url: '/v1/zips/10001', headers: { origin: PARTNER } });
  t.equal(allowed.statusCode, 200);
  t.equal(allowed.headers['access-control-allow-origin'], PARTNER);
  t.match(String(allowed.headers.vary), /Origin/);
  const other = await app.inject({ url: '/v1/zips/10001', headers: { origin: 'https://elsewhere.example.com' } });
  t.equal(other.statusCode, 200, 'the answer itself is public');
  t.equal(other.headers['access-control-allow-origin'], undefined, 'but a browser on another origin may not read it');
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/zips/10001',
    headers: { origin: PARTNER, 'access-control-request-method': 'GET' },
  });
  t.equal(preflight.statusCode, 204);
  t.equal(preflight.headers['access-control-allow-origin'], PARTNER);
  const routeApi = await app.inject({ url: '/v1/route?zip=10001', headers: { origin: PARTNER } });
  t.equal(routeApi.headers['access-control-allow-origin'], undefined, 'the route API is not opened to browsers');
  const routePreflight = await app.inject({
    method: 'OPTIONS',
    url: '/v1/route',
    headers: { origin: PARTNER, 'access-control-request-method': 'GET' },
  });
  t.equal(routePreflight.statusCode, 404);
});

t.test('no CORS at all unless origins are configured; * allows any', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const res = await app.inject({ url: '/v1/zips/10001', headers: { origin: PARTNER } });
  t.equal(res.headers['access-control-allow-origin'], undefined);
  const open = await shippedApp({ callers: settings(['*']) });
  t.teardown(() => open.app.close());
  t.equal(
    (await open.app.inject({ url: '/v1/zips/10001', headers: { origin: PARTNER } })).headers[
      'access-control-allow-origin'
    ],
    '*',
  );
});
