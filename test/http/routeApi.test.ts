import t from 'tap';
import { corruptedTable, shippedApp } from '../helpers/app.js';

type Answer = {
  destinations: Array<{
    id: string;
    kind: string;
    phone: string;
    state: string | null;
    distanceKm: number | null;
    open: boolean;
  }>;
  method: string;
  prefixLength: number | null;
  needsZip: boolean;
  reason: string | null;
  datasetVersion: string;
};

t.test('route API', async (t) => {
  const { app, tables } = await shippedApp();
  t.teardown(() => app.close());
  const get = async (query: string) => app.inject({ method: 'GET', url: `/v1/route?${query}` });

  t.test('GET by phone answers a New York center first and the national line last', async (t) => {
    const res = await get('phone=%2B12122267834');
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /application\/json/);
    const body = res.json<Answer>();
    t.equal(body.destinations[0]!.state, 'NY');
    t.equal(body.destinations[0]!.id, 'ny-new-york');
    t.ok(body.destinations.length >= 3, 'fallbacks behind the first center');
    t.equal(body.destinations.at(-1)!.kind, 'national');
    t.equal(body.destinations.at(-1)!.distanceKm, null);
    t.equal(body.method, 'prefix');
    t.equal(body.prefixLength, 6, '212-226 is an exchange NANPA lists');
    t.equal(body.needsZip, false);
    t.equal(body.reason, null);
    t.equal(body.datasetVersion, tables.table!.version);
    t.notOk('callerPrefix' in body, 'nothing about the caller in the answer');
    for (const d of body.destinations) t.match(d.phone, /^\+1\d{10}$/, 'E.164 phones');
  });

  t.test('POST with a JSON body answers the same as GET', async (t) => {
    const post = await app.inject({ method: 'POST', url: '/v1/route', payload: { phone: '(212) 226-7834' } });
    t.equal(post.statusCode, 200);
    t.same(post.json(), (await get('phone=%2B12122267834')).json());
  });

  t.test('zip, ZIP+4 and location queries', async (t) => {
    const zip = (await get('zip=10001')).json<Answer>();
    t.equal(zip.method, 'zip');
    t.equal(zip.destinations[0]!.id, 'ny-new-york');
    t.same((await get('zip=10001-1234')).json(), zip);
    const location = (await get('lat=40.7506&lon=-73.9973')).json<Answer>();
    t.equal(location.method, 'location');
    t.equal(location.destinations[0]!.id, 'ny-new-york');
  });

  t.test('a location reads the same as query text, as JSON numbers, and with an exponent', async (t) => {
    const text = (await get('lat=40.7506&lon=-73.9973')).json<Answer>();
    const numbers = await app.inject({ method: 'POST', url: '/v1/route', payload: { lat: 40.7506, lon: -73.9973 } });
    t.same(numbers.json(), text);
    const strings = await app.inject({
      method: 'POST',
      url: '/v1/route',
      payload: { lat: '40.7506', lon: '-73.9973' },
    });
    t.same(strings.json(), text);
    t.same((await get('lat=4.07506e1&lon=-73.9973')).json(), text);
  });

  t.test('a JSON body whose coordinates are not numbers gets 400, not the middle of the ocean', async (t) => {
    for (const payload of [
      { lat: null, lon: null },
      { lat: true, lon: true },
      { lat: '', lon: '' },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/v1/route', payload });
      t.equal(res.statusCode, 400, JSON.stringify(payload));
      t.equal(res.json().error.message, 'lat must be a number from -90 to 90');
    }
  });

  t.test('lang=es puts a Spanish-speaking center first where one is open nearby', async (t) => {
    // Albany's sample center speaks English only; Schenectady's, open on a Wednesday morning, also Spanish.
    const en = (await get('zip=12210')).json<Answer>();
    const es = (await get('zip=12210&lang=es')).json<Answer>();
    t.equal(en.destinations[0]!.id, 'ny-albany');
    t.equal(es.destinations[0]!.id, 'ny-schenectady');
    t.same(es.destinations.map((d) => d.id).sort(), en.destinations.map((d) => d.id).sort(), 'same centers, reordered');
  });

  t.test('callers who cannot be placed get needsZip with the national line', async (t) => {
    for (const phone of ['Anonymous', '%2B18005550199', '%2B266696687', 'Restricted']) {
      const body = (await get(`phone=${phone}`)).json<Answer>();
      t.equal(body.needsZip, true, phone);
      t.equal(body.destinations.at(-1)!.kind, 'national');
    }
  });

  t.test('requests the service cannot interpret get 400 with a reason', async (t) => {
    const cases: Array<[string, RegExp]> = [
      ['', /give one of: phone, zip, or lat and lon/],
      ['zip=1234', /zip must be 5 digits or ZIP\+4/],
      ['zip=123456', /zip must be 5 digits or ZIP\+4/],
      ['zip=abcde', /zip must be 5 digits/],
      ['lat=91&lon=0', /lat must be a number from -90 to 90/],
      ['lat=40&lon=-181', /lon must be a number from -180 to 180/],
      ['lat=abc&lon=1', /lat must be a number/],
      ['lat=0x1A&lon=1', /lat must be a number/],
      ['lat=%2040&lon=1', /lat must be a number/],
      ['lat=40&lon=', /lon must be a number from -180 to 180/],
      ['lat=40&lat=41&lon=1', /lat must be a number/],
      [`lat=${'1'.repeat(400)}&lon=1`, /lat must be a number from -90 to 90/],
      ['lat=abc&zip=10001', /lat must be a number/],
      ['lat=40', /lat and lon must be given together/],
      ['phone=%2B12122267834&zip=10001', /only one of/],
      [`phone=${'1'.repeat(65)}`, /phone must be text of at most 64 characters/],
      ['phone=%2B1212226%0A7834', /control characters/],
      ['phone=hello', /phone is not a phone number/],
      ['zip=10001&lang=espa%C3%B1ol', /lang must be a language code/],
      ['zip=10001&zip=10002', /zip must be/],
    ];
    for (const [query, message] of cases) {
      const res = await get(query);
      t.equal(res.statusCode, 400, `${query} -> 400`);
      const body = res.json<{ error: { code: string; message: string } }>();
      t.type(body.error.code, 'string');
      t.match(body.error.message, message, query);
      t.notMatch(res.body, /2122267834|stack|at \//, 'no number or stack in the error');
    }
  });

  t.test('a POST that is not a JSON object gets 400', async (t) => {
    const bad = await app.inject({
      method: 'POST',
      url: '/v1/route',
      headers: { 'content-type': 'application/json' },
      payload: '{"phone":',
    });
    t.equal(bad.statusCode, 400);
    t.equal(bad.json().error.code, 'invalid_body');
    const array = await app.inject({ method: 'POST', url: '/v1/route', payload: [1, 2] });
    t.equal(array.statusCode, 400);
  });

  t.test('widget zip lookup is cacheable and revalidates with ETag', async (t) => {
    const res = await app.inject({ method: 'GET', url: '/v1/zips/99501' });
    t.equal(res.statusCode, 200);
    t.equal(res.json<Answer>().destinations[0]!.state, 'AK');
    t.equal(res.headers['cache-control'], 'public, max-age=60');
    const etag = String(res.headers.etag);
    t.match(etag, new RegExp(`^"${tables.table!.version}-`));
    const again = await app.inject({ method: 'GET', url: '/v1/zips/99501', headers: { 'if-none-match': etag } });
    t.equal(again.statusCode, 304);
    t.equal(again.body, '');
    t.equal((await app.inject({ method: 'GET', url: '/v1/zips/9950' })).statusCode, 400);
  });

  t.test('health and readiness', async (t) => {
    t.same((await app.inject('/healthz')).json(), { status: 'ok' });
    const ready = await app.inject('/readyz');
    t.equal(ready.statusCode, 200);
    t.match(ready.json(), { ready: true, datasetVersion: tables.table!.version, source: 'embedded', sample: true });
  });

  t.test('unknown paths get a JSON 404', async (t) => {
    const res = await app.inject('/v1/nope?phone=%2B12122267834');
    t.equal(res.statusCode, 404);
    t.same(res.json(), { error: { code: 'not_found', message: 'no route for GET /v1/nope' } });
  });
});

t.test('readyz is 503 until tables are loaded, and routes say not ready', async (t) => {
  const { app, tables } = await shippedApp();
  t.teardown(() => app.close());
  const empty = await shippedApp({ tables: new (tables.constructor as new () => typeof tables)() });
  t.teardown(() => empty.app.close());
  t.equal((await empty.app.inject('/readyz')).statusCode, 503);
  const res = await empty.app.inject('/v1/route?zip=10001');
  t.equal(res.statusCode, 503);
  t.equal(res.json().error.code, 'not_ready');
});

t.test('an internal fault in routing still answers with the national line, never a 5xx', async (t) => {
  const { app, tables, logs } = await shippedApp();
  t.teardown(() => app.close());
  const table = tables.table!;
  tables.swap(corruptedTable(table), 'embedded');
  for (const url of ['/v1/route?zip=10001', '/v1/route?phone=%2B12122267834', '/v1/zips/10001']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    const body = res.json<Answer & { degraded: boolean }>();
    t.equal(body.degraded, true);
    t.same(
      body.destinations.map((d) => d.kind),
      ['national'],
    );
  }
  t.match(logs.text, /answering with the national line/);
});
