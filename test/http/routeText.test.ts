import t from 'tap';
import fc from 'fast-check';
import { corruptedTable, shippedApp, shippedData } from '../helpers/app.js';
import { CurrentTable } from '../../src/tables/currentTable.js';
import { DEFAULT_CALLER_SETTINGS } from '../../src/http/callerSettings.js';
import { nationalLineBeforeTables } from '../../src/startService.js';
import { loadConfig } from '../../src/config.js';

type Answer = { destinations: Array<{ phone: string; kind: string }>; datasetVersion: string };

t.test('GET /v1/route.txt for dialplans', async (t) => {
  const { app, tables, logs } = await shippedApp();
  t.teardown(() => app.close());

  t.test('answers the numbers to dial, in order, one per line, the primary first', async (t) => {
    for (const query of ['phone=%2B12122267834', 'zip=10001', 'zip=99501&lang=es', 'lat=40.7506&lon=-73.9973']) {
      const res = await app.inject(`/v1/route.txt?${query}`);
      t.equal(res.statusCode, 200, query);
      t.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      const json = (await app.inject(`/v1/route?${query}`)).json<Answer>();
      t.equal(
        res.body,
        `${json.destinations.map((d) => d.phone).join('\n')}\n`,
        `${query}: the same chain as the JSON answer`,
      );
      t.equal(res.headers['x-needs-zip'], 'false');
      t.equal(res.headers['x-dataset-version'], tables.table!.version);
      t.equal(res.headers['x-route-reason'], undefined);
    }
    const lines = (await app.inject('/v1/route.txt?phone=%2B12122267834')).body.trimEnd().split('\n');
    t.equal(lines[0], '+12125550100', 'the New York center first');
    t.equal(lines.at(-1), tables.table!.national.phone, 'the national line last');
    for (const line of lines) t.match(line, /^\+1\d{10}$/);
  });

  t.test('sep=comma gives one comma-separated line, for Asterisk SHIFT()', async (t) => {
    const lines = (await app.inject('/v1/route.txt?phone=%2B12122267834')).body.trimEnd().split('\n');
    const comma = await app.inject('/v1/route.txt?phone=%2B12122267834&sep=comma');
    t.equal(comma.statusCode, 200);
    t.equal(comma.body, lines.join(','));
    const bad = await app.inject('/v1/route.txt?zip=10001&sep=tab');
    t.equal(bad.statusCode, 400);
    t.equal(bad.body, `${tables.table!.national.phone}\n`, 'still a number to dial');
    t.match(bad.headers['x-route-error'], /sep/);
    const refused = await app.inject('/v1/route.txt?zip=1234&sep=comma');
    t.equal(refused.body, tables.table!.national.phone, 'comma-separated when asked, even refused');
  });

  t.test('a caller who needs a zip still gets numbers, national last, and the headers say why', async (t) => {
    const withheld = await app.inject('/v1/route.txt?phone=Anonymous');
    t.equal(withheld.statusCode, 200);
    t.equal(withheld.body, `${tables.table!.national.phone}\n`);
    t.equal(withheld.headers['x-needs-zip'], 'true');
    t.equal(withheld.headers['x-route-reason'], 'withheld');
    const areaCode = await app.inject('/v1/route.txt?phone=%2B12019990000');
    t.equal(areaCode.headers['x-needs-zip'], 'true');
    t.equal(areaCode.headers['x-route-reason'], 'areaCodeOnly');
    const lines = areaCode.body.trimEnd().split('\n');
    t.ok(lines.length > 1, "the state's centers first");
    t.equal(lines.at(-1), tables.table!.national.phone);
  });

  t.test('headers give the line type, and whether to offer a wireless caller a zip first', async (t) => {
    const cell = await app.inject('/v1/route.txt?phone=%2B19162015555');
    t.same(
      [cell.headers['x-line-type'], cell.headers['x-offer-zip'], cell.headers['x-needs-zip']],
      ['wireless', 'true', 'false'],
    );
    const landline = await app.inject('/v1/route.txt?phone=%2B19164452841');
    t.same([landline.headers['x-line-type'], landline.headers['x-offer-zip']], ['wireline', 'false']);
    const byZip = await app.inject('/v1/route.txt?zip=95814');
    t.same([byZip.headers['x-line-type'], byZip.headers['x-offer-zip']], [undefined, 'false']);
  });

  t.test('requests it cannot interpret get 400 and the national line, the reason in headers', async (t) => {
    const cases: Array<[string, string, string]> = [
      ['', 'invalidRequest', 'give one of: phone, zip, or lat and lon'],
      ['zip=1234', 'invalidRequest', 'zip must be 5 digits or ZIP+4, e.g. 10001 or 10001-1234'],
      ['phone=hello', 'invalidPhone', 'phone is not a phone number'],
      ['phone=sip%3Acaller%40pbx.example', 'invalidPhone', 'phone is not a phone number'],
      ['phone=%2B12122267834&zip=10001', 'invalidRequest', 'give only one of: phone, zip, or lat and lon'],
      ['lat=91&lon=0', 'invalidRequest', 'lat must be a number from -90 to 90'],
    ];
    for (const [query, reason, message] of cases) {
      const res = await app.inject(`/v1/route.txt?${query}`);
      t.equal(res.statusCode, 400, query);
      t.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      t.equal(res.body, `${tables.table!.national.phone}\n`, `${query}: the national line to dial`);
      t.equal(res.headers['x-route-reason'], reason);
      t.equal(res.headers['x-route-error'], message);
      t.equal(res.headers['x-needs-zip'], String(reason === 'invalidPhone'), 'a zip would place an unreadable caller');
    }
    t.notMatch(logs.text, /2122267834/);
  });

  t.test('whatever the query, the body is numbers to dial ending with the national line', async () => {
    const national = tables.table!.national.phone;
    const value = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('', '+12122267834', '10001', '2122267834', 'Anonymous', '+4420', '%', '40.7', 'comma'),
    );
    const query = fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom('phone', 'zip', 'lat', 'lon', 'lang', 'sep'), fc.string({ maxLength: 6 })),
        value,
      ),
      { maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(query, async (pairs) => {
        const search = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const res = await app.inject(`/v1/route.txt?${search}`);
        const numbers = res.body.trimEnd().split(/[\n,]/);
        if (
          ![200, 400].includes(res.statusCode) ||
          numbers.at(-1) !== national ||
          numbers.some((n) => !/^\+1\d{10}$/.test(n))
        )
          throw new Error(`${search}: ${res.statusCode} ${JSON.stringify(res.body)}`);
        if (res.statusCode !== 200 && !res.headers['x-route-reason']) throw new Error(`${search}: no X-Route-Reason`);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });

  t.test('an internal fault still answers the national line', async (t) => {
    const table = tables.table!;
    tables.swap(corruptedTable(table), 'embedded');
    t.teardown(() => tables.swap(table, 'embedded'));
    const res = await app.inject('/v1/route.txt?zip=10001');
    t.equal(res.statusCode, 200);
    t.equal(res.body, `${table.national.phone}\n`);
    t.equal(res.headers['x-degraded'], 'true');
    t.equal(res.headers['x-route-reason'], 'internalError');
  });
});

t.test('before tables load: 503 with the configured national line, or empty when none is known', async (t) => {
  const nationalLine = '+18002738255';
  const configured = await shippedApp({
    tables: new CurrentTable(),
    callers: { ...DEFAULT_CALLER_SETTINGS, nationalLine },
  });
  t.teardown(() => configured.app.close());
  for (const query of ['zip=10001', 'phone=%2B12122267834&sep=comma', 'zip=1234', '']) {
    const res = await configured.app.inject(`/v1/route.txt?${query}`);
    t.equal(res.statusCode, query === 'zip=1234' || query === '' ? 400 : 503, query);
    t.equal(res.body.trimEnd(), nationalLine, `${query}: the national line to dial`);
    t.equal(res.headers['x-dataset-version'], undefined);
  }
  t.equal((await configured.app.inject('/v1/route.txt?zip=10001')).headers['x-route-reason'], 'notReady');

  const unknown = await shippedApp({ tables: new CurrentTable() });
  t.teardown(() => unknown.app.close());
  const res = await unknown.app.inject('/v1/route.txt?zip=10001');
  t.equal(res.statusCode, 503);
  t.equal(res.body, '', 'no fictional number: the dialplan dials its own national line');
  t.equal(res.headers['x-route-reason'], 'notReady');
});

t.test("the national line before tables load: NATIONAL_LINE, else data/'s where data/ may serve", async (t) => {
  const embedded = await shippedData();
  const sample = embedded.prepared.dataset.national.phone;
  const line = (env: Record<string, string>) => {
    const config = loadConfig(env);
    const guard = { nodeEnv: config.NODE_ENV, allowSampleInProduction: config.ALLOW_SAMPLE_DATA_IN_PRODUCTION };
    return nationalLineBeforeTables(config, embedded, guard);
  };
  t.equal(line({}), sample, "data/'s in development");
  t.equal(line({ NODE_ENV: 'production' }), undefined, 'never the sample data in production');
  t.equal(line({ NODE_ENV: 'production', ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true' }), sample);
  t.equal(line({ NODE_ENV: 'production', NATIONAL_LINE: '+18002738255' }), '+18002738255');
  t.equal(line({ NATIONAL_LINE: '+18002738255' }), '+18002738255', 'the setting wins');
});

t.test('a rate-limited dialplan still gets the national line to dial', async (t) => {
  const rateLimit = {
    windowMs: 60_000,
    publicPerIp: 100,
    telephonyPerIp: 2,
    telephonyPerKey: 100,
    adminPerIp: 100,
    telephonyApiKeys: [],
  };
  const { app, tables } = await shippedApp({ rateLimit });
  t.teardown(() => app.close());
  const remoteAddress = '198.51.100.7';
  t.equal((await app.inject({ url: '/v1/route?zip=10001', remoteAddress })).statusCode, 200);
  t.equal((await app.inject({ url: '/v1/route.txt?zip=10001', remoteAddress })).statusCode, 200);
  const text = await app.inject({ url: '/v1/route.txt?zip=10001&sep=comma', remoteAddress });
  t.equal(text.statusCode, 429, 'route.txt counts in the route API allowance');
  t.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
  t.equal(text.body, tables.table!.national.phone);
  t.equal(text.headers['x-route-reason'], 'rateLimited');
  t.match(text.headers['retry-after'], /^\d+$/);
  const json = await app.inject({ url: '/v1/route?zip=10001', remoteAddress });
  t.equal(json.statusCode, 429);
  t.equal(json.json().error.code, 'rate_limited', 'the route API is still refused in JSON');
});
