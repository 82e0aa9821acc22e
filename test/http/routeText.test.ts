import t from 'tap';
import { corruptedTable, shippedApp } from '../helpers/app.js';

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
    t.match(bad.body, /sep/);
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

  t.test('requests it cannot interpret get a plain-text 400 saying what was wrong', async (t) => {
    const cases: Array<[string, string]> = [
      ['', 'give one of: phone, zip, or lat and lon\n'],
      ['zip=1234', 'zip must be 5 digits or ZIP+4, e.g. 10001 or 10001-1234\n'],
      ['phone=hello', 'phone is not a phone number\n'],
      ['phone=%2B12122267834&zip=10001', 'give only one of: phone, zip, or lat and lon\n'],
    ];
    for (const [query, message] of cases) {
      const res = await app.inject(`/v1/route.txt?${query}`);
      t.equal(res.statusCode, 400, query);
      t.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
      t.match(res.body, message.startsWith('phone is not') ? /^phone is not a phone number/ : message);
    }
    t.notMatch(logs.text, /2122267834/);
  });

  t.test('an internal fault still answers the national line', async (t) => {
    const table = tables.table!;
    tables.swap(corruptedTable(table), 'embedded');
    t.teardown(() => tables.swap(table, 'embedded'));
    const res = await app.inject('/v1/route.txt?zip=10001');
    t.equal(res.statusCode, 200);
    t.equal(res.body, `${table.national.phone}\n`);
    t.equal(res.headers['x-degraded'], 'true');
  });
});

t.test('route.txt says 503 in plain text before tables load', async (t) => {
  const { app, tables } = await shippedApp();
  t.teardown(() => app.close());
  const empty = await shippedApp({ tables: new (tables.constructor as new () => typeof tables)() });
  t.teardown(() => empty.app.close());
  const res = await empty.app.inject('/v1/route.txt?zip=10001');
  t.equal(res.statusCode, 503);
  t.equal(res.body, 'routing tables are not loaded yet\n');
});
