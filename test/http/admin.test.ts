import t from 'tap';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import {
  ADMIN_TOKEN,
  OPS_TOKEN,
  auth,
  editCenter,
  removeCenter,
  sampleCsv,
  startInstance,
  withEveryColumn,
} from '../helpers/service.js';
import { AuditTrail } from '../../src/store/audit.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { Redis } from 'ioredis';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const namespace = testNamespace();
const instance = await startInstance(redisServer.url, { namespace, env: { MAX_UPLOAD_BYTES: '65536' } });
t.teardown(() => instance.close());
const { inject } = instance;

type Problem = { row: number | null; column: string | null; message: string };
const upload = (body: string | object, query = '', headers: Record<string, string> = {}) =>
  inject({
    method: 'POST',
    url: `/v1/admin/datasets${query}`,
    headers: { ...auth(), 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
const firstAt = async (zip: string) => (await inject(`/v1/route?zip=${zip}`)).json().destinations[0];
const activeVersion = async () => (await inject('/readyz')).json().datasetVersion as string;

const seeded = await activeVersion();

t.test('first start on an empty Redis seeds it from data/', async (t) => {
  const ready = (await inject('/readyz')).json();
  t.match(ready, {
    ready: true,
    source: 'redis',
    datasetVersion: /^sample-[0-9a-f]{12}$/,
    redis: { reachable: true, activeVersion: seeded, following: true },
  });
  const list = (await inject({ url: '/v1/admin/datasets', headers: auth() })).json();
  t.match(list.versions, [{ version: seeded, active: true, origin: 'seed', createdAt: String }]);
});

t.test('the admin API needs a known bearer token', async (t) => {
  for (const headers of [
    {},
    { authorization: 'Bearer nope-nope-nope-nope' },
    { authorization: `Basic ${ADMIN_TOKEN}` },
    { authorization: `Bearer ${ADMIN_TOKEN}x` },
  ]) {
    const res = await inject({ url: '/v1/admin/datasets', headers });
    t.equal(res.statusCode, 401, JSON.stringify(headers));
    t.equal(res.json().error.code, 'unauthorized');
  }
  t.equal(
    (await inject({ url: '/v1/admin/datasets', headers: auth(OPS_TOKEN) })).statusCode,
    200,
    'every configured token works',
  );
});

t.test('a dry run answers the report and diff and changes nothing', async (t) => {
  const edited = removeCenter(
    editCenter(sampleCsv(), 'ny-albany', { phone: '+15185550199', hours: 'Mo-Fr 09:00-17:00' }),
    'ny-new-york',
  );
  const before = (await inject({ url: '/v1/admin/datasets', headers: auth() })).json();
  const res = await upload(edited, '?dryRun=true&name=sample');
  t.equal(res.statusCode, 200);
  const report = res.json();
  t.match(report, {
    dryRun: true,
    created: false,
    activated: false,
    against: seeded,
    sample: true,
    centers: 199,
    problems: [],
  });
  t.same(report.diff.centers, {
    added: [],
    removed: ['ny-new-york'],
    changed: [{ id: 'ny-albany', fields: ['phone', 'hours'] }],
  });
  t.ok(
    report.diff.firstCenterChanged.zips > 100,
    `zips whose first center changes: ${report.diff.firstCenterChanged.zips}`,
  );
  t.ok(
    report.diff.firstCenterChanged.prefixes > 10,
    `prefixes whose first center changes: ${report.diff.firstCenterChanged.prefixes}`,
  );
  t.same((await inject({ url: '/v1/admin/datasets', headers: auth() })).json(), before, 'no version stored');
  t.equal(await activeVersion(), seeded);
  t.equal((await firstAt('10001')).id, 'ny-new-york');
});

t.test('upload, activate, export and roll back', async (t) => {
  const edited = removeCenter(sampleCsv(), 'ny-new-york');
  const stored = await upload(edited, '?name=no-nyc');
  t.equal(stored.statusCode, 201);
  const { version } = stored.json();
  t.match(version, /^no-nyc-[0-9a-f]{12}$/);
  t.equal(await activeVersion(), seeded, 'stored, not active');
  t.equal((await upload(edited, '?name=no-nyc')).statusCode, 200, 'the same table again is the same version');

  const activated = await inject({
    method: 'POST',
    url: `/v1/admin/datasets/${version}/activate`,
    headers: auth(OPS_TOKEN),
  });
  t.same(activated.json(), { active: version, previous: seeded });
  await instance.follower!.check();
  t.equal(await activeVersion(), version);
  t.not((await firstAt('10001')).id, 'ny-new-york');

  const exported = await inject({ url: `/v1/admin/datasets/${version}/affiliates`, headers: auth() });
  t.equal(exported.statusCode, 200);
  t.match(exported.headers['content-type'], /^text\/csv/);
  t.equal(exported.body, withEveryColumn(edited), 'the export is the upload format, byte for byte, every column');

  const rollback = await inject({ method: 'POST', url: `/v1/admin/datasets/${seeded}/activate`, headers: auth() });
  t.same(rollback.json(), { active: seeded, previous: version });
  await instance.follower!.check();
  t.equal((await firstAt('10001')).id, 'ny-new-york', 'the old routes are back');

  const reader = new Redis(redisServer.url);
  t.teardown(() => reader.disconnect());
  const audit = await new AuditTrail(reader, redisKeys(namespace)).recent(4);
  t.match(
    audit.map((a) => [a.action, a.who, a.version]),
    [
      ['activate', 'ops', seeded],
      ['export', 'ops', version],
      ['activate', 'alice', version],
      ['upload', 'ops', version],
    ],
  );
  t.match(instance.logs.text, /"audit":\{"at":"[^"]+","who":"alice","action":"activate"/);
});

t.test('a JSON upload is accepted like the CSV', async (t) => {
  const rows = [
    {
      id: 'national',
      kind: 'national',
      name: 'Test National (fictional)',
      phone: '+18005550100',
      timeZone: 'America/New_York',
      hours: '24/7',
    },
    {
      id: 'ny-only',
      name: 'Only Center (fictional)',
      phone: '(212) 555-0123',
      lat: 40.75,
      lon: -73.99,
      state: 'NY',
      timeZone: 'America/New_York',
      hours: '24/7',
      languages: ['en', 'es'],
    },
  ];
  const res = await upload({ affiliates: rows }, '?dryRun=true');
  t.equal(res.statusCode, 200, res.body);
  t.equal(res.json().centers, 1);
});

t.test('bad uploads get 4xx listing every problem, and the active version stays', async (t) => {
  const good = sampleCsv();
  const header = good.split('\n')[0]!;
  const cases: Array<{
    name: string;
    body: string | Buffer;
    contentType?: string;
    status: number;
    expect: Array<Partial<Problem>>;
  }> = [
    {
      name: 'missing column',
      body: good.replace(/^id,kind,name,phone/, 'id,kind,name,telephone'),
      status: 422,
      expect: [
        { column: 'phone', message: 'required column "phone" is missing' },
        { column: 'telephone', message: /unknown column/ as unknown as string },
      ],
    },
    {
      name: 'several bad rows at once',
      body: editCenter(
        editCenter(
          editCenter(editCenter(good, 'ny-albany', { phone: '555-not-a-number' }), 'ny-buffalo', { lat: '95' }),
          'nj-newark',
          { timeZone: 'America/Gotham' },
        ),
        'nj-trenton',
        { hours: 'Mo-Fr 25:00-26:00' },
      ),
      status: 422,
      expect: [
        { row: 118, column: 'timeZone' },
        { row: 120, column: 'hours' },
        { row: 124, column: 'phone' },
        { row: 127, column: 'lat', message: 'lat must be between -90 and 90' },
      ],
    },
    {
      name: 'duplicate id and dangling backup',
      body: editCenter(editCenter(good, 'ak-anchorage', { id: 'al-birmingham' }), 'nj-newark', { backupId: 'nowhere' }),
      status: 422,
      expect: [
        { column: 'id', message: /duplicate id "al-birmingham"/ as unknown as string },
        { column: 'backupId', message: /"nowhere" is not the id/ as unknown as string },
      ],
    },
    { name: 'empty body', body: '', status: 400, expect: [{ message: 'the body is empty' }] },
    { name: 'whitespace only', body: '  \n', status: 422, expect: [{ message: 'the CSV is empty' }] },
    {
      name: 'binary as text/csv',
      body: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]),
      status: 422,
      expect: [{ message: /binary/ as unknown as string }],
    },
    {
      name: 'an Excel workbook',
      body: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]),
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      status: 422,
      expect: [{ message: /^this is an Excel workbook .*"CSV UTF-8 \(comma delimited\)"/ as unknown as string }],
    },
    {
      name: 'over the size limit',
      body: `${header}\n${'x,'.repeat(40_000)}`,
      status: 413,
      expect: [{ message: /larger than the 65536 bytes/ as unknown as string }],
    },
    {
      name: 'invalid JSON',
      body: '{"affiliates": [',
      contentType: 'application/json',
      status: 400,
      expect: [{ message: 'the body is not valid JSON' }],
    },
  ];
  const versionsBefore = (await inject({ url: '/v1/admin/datasets', headers: auth() })).json();
  for (const c of cases) {
    const res = await inject({
      method: 'POST',
      url: '/v1/admin/datasets?activate=true',
      headers: { ...auth(), 'content-type': c.contentType ?? 'text/csv' },
      payload: c.body,
    });
    t.equal(res.statusCode, c.status, `${c.name}: ${res.statusCode}`);
    const body = res.json<{ error: { code: string; message: string; details: Problem[] } }>();
    t.type(body.error.code, 'string', c.name);
    t.match(body.error.details, c.expect, c.name);
    t.equal(body.error.details.length, c.expect.length, `${c.name}: every problem, no more`);
  }
  t.same((await inject({ url: '/v1/admin/datasets', headers: auth() })).json(), versionsBefore, 'nothing stored');
  t.equal(await activeVersion(), seeded, 'the active version is untouched');
});

t.test('unknown versions and bad parameters', async (t) => {
  const unknown = await inject({
    method: 'POST',
    url: '/v1/admin/datasets/sample-000000000000/activate',
    headers: auth(),
  });
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().error.code, 'unknown_version');
  t.equal(
    (await inject({ url: '/v1/admin/datasets/sample-000000000000/affiliates', headers: auth() })).statusCode,
    404,
  );
  t.equal(
    (await inject({ method: 'POST', url: '/v1/admin/datasets/..%2F..%2Fetc/activate', headers: auth() })).statusCode,
    400,
  );
  t.equal((await upload(sampleCsv(), '?name=Bad%20Name')).statusCode, 400);
  t.equal((await upload(sampleCsv(), '?dryRun=true&activate=true')).statusCode, 400);
  t.equal(await activeVersion(), seeded);
});

t.test('without ADMIN_TOKEN the admin API is off', async (t) => {
  const plain = await startInstance(redisServer.url, { namespace, env: { ADMIN_TOKEN: '' } });
  t.teardown(() => plain.close());
  const res = await plain.inject({ url: '/v1/admin/datasets', headers: auth() });
  t.equal(res.statusCode, 404);
});
