import t from 'tap';
import type { AdminOptions } from '../../src/http/routes/admin/admin.js';
import type { TablesAdmin } from '../../src/tables/tablesAdmin.js';
import type { LegOutcome } from '../../src/observability/callOutcomes.js';
import { shippedApp } from '../helpers/app.js';

// The view reads only memory, so the admin API is switched on over a table store that is never called.
const TOKEN = 'ops-token-0123456789';
const admin = (): AdminOptions => ({
  service: {} as TablesAdmin,
  tokens: new Map([['ops', TOKEN]]),
  maxUploadBytes: 1024,
  storeReachable: () => true,
});
const auth = { authorization: `Bearer ${TOKEN}` };
const CALLER = '+12122267834';
const MINUTE = 60_000;
const NOW = Date.UTC(2026, 0, 14, 15, 0);

type Summary = { legs: number; answerRate: number | null; outcomes: Record<LegOutcome, number> };
type Row = { id: string; name: string | null; inTable: boolean; windows: Record<string, Summary>; total: Summary };

const { app, tables } = await shippedApp({ admin: admin() });
t.teardown(() => app.close());
const record = (id: string, outcome: LegOutcome, times: number, atMs = NOW) => {
  for (let i = 0; i < times; i++) app.callOutcomes.record(id, outcome, atMs);
};

// A caller's call went through the voice webhook before the legs were counted.
await app.inject({ method: 'POST', url: '/v1/twilio/voice', payload: { From: CALLER, CallSid: 'CA0123' } });
record('ny-albany', 'answered', 2);
record('ny-albany', 'no-answer', 3);
record('ny-bronx', 'answered', 6);
record('ny-bronx', 'screened-out', 2, NOW - 30 * MINUTE);
record('ny-brooklyn', 'busy', 1);
record('nowhere-center', 'failed', 4);

t.test('the view needs an admin token', async (t) => {
  for (const headers of [{}, { authorization: 'Bearer not-the-token-000' }]) {
    const res = await app.inject({ url: '/v1/admin/centers/outcomes', headers });
    t.equal(res.statusCode, 401);
    t.equal(res.json().error.code, 'unauthorized');
  }
});

t.test('every center of the table, the worst answer rate with enough legs first', async (t) => {
  const res = await app.inject({ url: '/v1/admin/centers/outcomes', headers: auth });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = res.json() as { since: string; at: string; sortedBy: object; centers: Row[] };
  t.equal(body.at, new Date(NOW).toISOString(), 'the windows end at the routing clock');
  t.same(body.sortedBy, { window: '24h', minLegs: 5 });
  const table = tables.table!;
  t.equal(body.centers.length, table.centers.length + 2, 'every center, the national line and the catch-all');
  t.same(
    body.centers.slice(0, 4).map((c) => [c.id, c.windows['24h']!.answerRate]),
    [
      ['ny-albany', 0.4],
      ['ny-bronx', 0.75],
      ['(other)', 0],
      ['ny-brooklyn', 0],
    ],
    'enough legs (5) first, by answer rate; then the rest, more legs first',
  );
  const albany = body.centers[0]!;
  t.match(albany, { name: 'Sample Center Albany (fictional)', inTable: true });
  t.same(albany.windows['15m'], {
    legs: 5,
    answerRate: 0.4,
    outcomes: { answered: 2, 'no-answer': 3, busy: 0, failed: 0, 'screened-out': 0 },
  });
  const bronx = body.centers[1]!;
  t.same(
    [bronx.windows['15m']!.legs, bronx.windows['1h']!.legs, bronx.windows['24h']!.legs, bronx.total.legs],
    [6, 8, 8, 8],
    'legs half an hour old are in the hour, not the quarter hour',
  );
  const other = body.centers.find((c) => c.id === '(other)');
  t.match(other, { name: null, inTable: false, total: { legs: 4, outcomes: { failed: 4 } } }, 'ids not in the table');
  t.notOk(
    body.centers.some((c) => c.id === 'nowhere-center'),
    'an id the table lacks is not kept apart',
  );
  t.match(
    body.centers.find((c) => c.id === 'ny-buffalo'),
    { total: { legs: 0, answerRate: null } },
    'a center without legs is listed, with no rate',
  );
  t.notMatch(res.body, /2122267834|212226/, 'nothing about the caller');
});

t.test('the order follows the window and minLegs asked for', async (t) => {
  const res = await app.inject({ url: '/v1/admin/centers/outcomes?window=15m&minLegs=6', headers: auth });
  const body = res.json() as { sortedBy: object; centers: Row[] };
  t.same(body.sortedBy, { window: '15m', minLegs: 6 });
  t.same(
    body.centers.slice(0, 3).map((c) => c.id),
    ['ny-bronx', 'ny-albany', '(other)'],
    'only the Bronx has 6 legs in the last 15 minutes; the rest by legs',
  );
  for (const url of ['?window=2h', '?minLegs=0', '?minLegs=x']) {
    const bad = await app.inject({ url: `/v1/admin/centers/outcomes${url}`, headers: auth });
    t.equal(bad.statusCode, 400, url);
  }
});

t.test('/metrics counts legs by center and outcome, and nothing about a caller', async (t) => {
  const res = await app.inject({ url: '/metrics' });
  t.equal(res.statusCode, 200);
  t.match(res.body, /# TYPE crisis_route_center_legs_total counter/);
  t.match(res.body, /crisis_route_center_legs_total\{center="ny-albany",outcome="no-answer"\} 3\n/);
  t.match(res.body, /crisis_route_center_legs_total\{center="ny-bronx",outcome="screened-out"\} 2\n/);
  t.match(res.body, /crisis_route_center_legs_total\{center="ny-brooklyn",outcome="answered"\} 0\n/);
  t.match(res.body, /crisis_route_center_legs_total\{center="\(other\)",outcome="failed"\} 4\n/);
  t.notMatch(res.body, /nowhere-center/);
  t.notMatch(res.body, /2122267834|212226/, 'no caller number or prefix');
});

t.test('the view counts against the admin group allowance', async (t) => {
  const limited = await shippedApp({
    admin: admin(),
    rateLimit: {
      windowMs: 60_000,
      publicPerIp: 100,
      telephonyPerIp: 100,
      telephonyPerKey: 100,
      adminPerIp: 2,
      telephonyApiKeys: [],
    },
  });
  t.teardown(() => limited.app.close());
  const get = () =>
    limited.app.inject({ url: '/v1/admin/centers/outcomes', headers: auth, remoteAddress: '198.51.100.9' });
  t.same([(await get()).statusCode, (await get()).statusCode, (await get()).statusCode], [200, 200, 429]);
});
