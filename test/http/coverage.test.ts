import t from 'tap';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, editCenter, removeCenter, sampleCsv, startInstance } from '../helpers/service.js';

/**
 * The coverage report over the admin API: for any stored version, and before and after on every
 * dry run; and the page that shows it, which holds no data and so loads without the token.
 */
const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const instance = await startInstance(redisServer.url, { namespace: testNamespace() });
t.teardown(() => instance.close());
const { inject } = instance;
const seeded = instance.tables.table!.version;

type StateRow = { state: string; zips: number; zipsInStateFirst: number; exchanges: number; zipsBeyondFarKm: number };
type Coverage = {
  version: string;
  overall: StateRow & { zipsInStateShare: number; firstKm: { p50: number; p90: number; max: number } };
  states: (StateRow & { zipsInStateShare: number })[];
  firstForNobody: string[];
  centers: { id: string; firstForZips: number }[];
  cells: { lat: number[]; zips: number[]; center: number[] };
};
const coverageOf = async (version: string) =>
  inject({ url: `/v1/admin/datasets/${version}/coverage`, headers: auth() });
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const state = (c: Coverage, code: string) => c.states.find((s) => s.state === code)!;

t.test("the active version's coverage: every zip counted once, per state and in the cells", async (t) => {
  const res = await coverageOf(seeded);
  t.equal(res.statusCode, 200);
  t.equal(res.headers['cache-control'], 'no-store');
  const coverage = res.json<Coverage>();
  t.equal(coverage.version, seeded);
  const { overall } = coverage;
  t.equal(overall.zips, instance.tables.table!.stats.zips, 'every zip of the geography');
  t.equal(sum(coverage.states.map((s) => s.zips)), overall.zips);
  t.equal(sum(coverage.states.map((s) => s.zipsBeyondFarKm)), overall.zipsBeyondFarKm);
  t.equal(sum(coverage.cells.zips), overall.zips, 'the map draws every zip');
  t.equal(sum(coverage.centers.map((c) => c.firstForZips)), overall.zips, 'every zip has a first center');
  t.ok(overall.exchanges > 100_000, `exchanges: ${overall.exchanges}`);
  t.ok(overall.firstKm.p50 <= overall.firstKm.p90 && overall.firstKm.p90 <= overall.firstKm.max);
  t.equal(state(coverage, 'WY').zipsInStateShare, 1, "Wyoming's zips go to Cheyenne first");
});

t.test('a dry run answers the coverage before (the active version) and after', async (t) => {
  const edited = removeCenter(sampleCsv(), 'wy-cheyenne');
  const res = await inject({
    method: 'POST',
    url: '/v1/admin/datasets?dryRun=true',
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: edited,
  });
  t.equal(res.statusCode, 200);
  const { coverage, version } = res.json<{ version: string; coverage: { before: Coverage; after: Coverage } }>();
  t.equal(coverage.before.version, seeded);
  t.equal(coverage.after.version, version);
  const [before, after] = [state(coverage.before, 'WY'), state(coverage.after, 'WY')];
  t.same([before.zipsInStateFirst, after.zipsInStateFirst], [before.zips, 0], 'without its one center, none in-state');
  t.ok(after.zipsBeyondFarKm > before.zipsBeyondFarKm, `WY zips beyond 100 km: ${after.zipsBeyondFarKm}`);
  t.equal(coverage.after.overall.zips, coverage.before.overall.zips);
  t.notOk(
    coverage.after.centers.some((c) => c.id === 'wy-cheyenne'),
    'the removed center is not in the after table',
  );
});

t.test('an upload that is not a dry run answers no coverage; its version has one on request', async (t) => {
  const stored = async (csv: string) =>
    (
      await inject({
        method: 'POST',
        url: '/v1/admin/datasets?name=sample',
        headers: { ...auth(), 'content-type': 'text/csv' },
        payload: csv,
      })
    ).json<{ version: string; coverage: unknown }>();
  const first = await stored(removeCenter(sampleCsv(), 'vt-burlington'));
  t.equal(first.coverage, null);
  // Another upload after it, so the first is neither served nor the last compiled: compiled again.
  await stored(editCenter(sampleCsv(), 'ny-albany', { phone: '+15185550199' }));
  const res = await coverageOf(first.version);
  t.equal(res.statusCode, 200);
  const coverage = res.json<Coverage>();
  t.equal(coverage.version, first.version);
  t.equal(state(coverage, 'VT').zipsInStateFirst, 0);
});

t.test('coverage needs the token and a stored version', async (t) => {
  t.equal((await inject(`/v1/admin/datasets/${seeded}/coverage`)).statusCode, 401);
  const unknown = await coverageOf('sample-000000000000');
  t.equal(unknown.statusCode, 404);
  t.equal(unknown.json().error.code, 'unknown_version');
});

t.test('the page and its script load without the token, as a page with its script from the service', async (t) => {
  const page = await inject('/v1/admin/coverage');
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.match(page.headers['content-security-policy'], /script-src 'self'/);
  t.match(page.body, /<script src="coverage.js" defer><\/script>/);
  t.notMatch(page.body, /<script>/, 'no inline script');
  const script = await inject('/v1/admin/coverage.js');
  t.equal(script.statusCode, 200);
  t.match(script.headers['content-type'], /^text\/javascript/);
  t.match(script.body, /sessionStorage/);
});
