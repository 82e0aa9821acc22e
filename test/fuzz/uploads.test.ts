import t from 'tap';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, sampleCsv, servingVersion, startInstance, type Instance } from '../helpers/service.js';
import {
  anyWriter,
  applyMutations,
  asJson,
  benignMutation,
  hostileMutation,
  runsAsFormula,
  sampleSlice,
  wellFormedWriter,
  writeTable,
  type Table,
} from './tableMutations.js';

/**
 * Upload fuzzing: mutated affiliate tables through the admin API of one instance, a second
 * instance following the same Redis. Every upload is accepted (2xx) or refused (4xx with details),
 * never 5xx; a refused one changes nothing any instance routes; an accepted one exports without a
 * cell a spreadsheet would run, and the export uploads again as the same version.
 */
// A new seed every run explores more over time; FUZZ_RUNS=600 or more for a deeper pass.
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
t.comment(`fast-check seed ${seed} (FUZZ_SEED to replay)`);
// Each valid upload is compiled and diffed: on a loaded 2-core machine the file needs minutes.
t.setTimeout(360_000);

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const namespace = testNamespace();
const env = { RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: 'warn' };
const a = await startInstance(redisServer.url, { namespace, env });
const b = await startInstance(redisServer.url, { namespace, env });
t.teardown(() => Promise.all([a.close(), b.close()]));

type Detail = { row: number | null; column: string | null; message: string };
type Answer = {
  status: number;
  json: () => { error?: { code: string; details?: Detail[] }; version?: string; activated?: boolean };
};

const slice = sampleSlice(sampleCsv(), 30);
const upload = async (body: string, query: string, contentType = 'text/csv'): Promise<Answer> => {
  const res = await a.inject({
    method: 'POST',
    url: `/v1/admin/datasets${query}`,
    headers: { ...auth(), 'content-type': contentType },
    payload: body,
  });
  return { status: res.statusCode, json: () => res.json() };
};

const probes = [
  '/v1/route?zip=10001',
  '/v1/route?phone=%2B12122267834',
  '/v1/route?lat=34.05&lon=-118.24',
  '/v1/route?zip=99530',
  '/v1/zips/60601',
  '/v1/route.txt?phone=%2B13125550143',
];
/** What an instance routes: its version and its answers to a fixed set of callers. */
const routing = async (instance: Instance) => ({
  version: instance.tables.table?.version,
  answers: await Promise.all(probes.map(async (url) => (await instance.inject(url)).body)),
});
const everything = async () => ({
  a: await routing(a),
  b: await routing(b),
  versions: (await a.inject({ url: '/v1/admin/datasets', headers: auth() })).body,
});

const tally: Record<string, number> = {};
const count = (key: string) => void (tally[key] = (tally[key] ?? 0) + 1);

/** A refusal names every problem: details, each with a row (or null) and a column (or null) and a message. */
function assertRefusal(answer: Answer, what: string): Detail[] {
  assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status}`);
  const details = answer.json().error?.details;
  assert.ok(Array.isArray(details) && details.length > 0, `${what}: a refusal without details`);
  for (const d of details) {
    assert.ok(d.row === null || (Number.isInteger(d.row) && d.row >= 1), `${what}: bad row ${d.row}`);
    assert.ok(d.column === null || typeof d.column === 'string', `${what}: bad column`);
    assert.ok(typeof d.message === 'string' && d.message.length > 0, `${what}: empty message`);
  }
  return details;
}

/** After an accepted, stored upload: the export runs no formula and comes back as the same version. */
async function assertExportSafe(version: string, name: string): Promise<void> {
  const exported = await a.inject({ url: `/v1/admin/datasets/${version}/affiliates`, headers: auth() });
  assert.equal(exported.statusCode, 200);
  const cells = (parse(exported.body) as string[][]).flat();
  const running = cells.filter(runsAsFormula);
  assert.deepEqual(running, [], `export of ${version} carries cells a spreadsheet would run`);
  const again = await upload(exported.body, `?name=${name}`);
  assert.equal(again.status, 200, `re-upload of the export of ${version}: ${again.status}`);
  assert.equal(again.json().version, version, 'the export uploads as the same version');
}

/** Uploads a table in a mode and checks every property; returns the outcome for the tally. */
async function uploadAndCheck(body: string, mode: 'dryRun' | 'store' | 'activate', what: string): Promise<void> {
  const name = 'fuzz';
  const before = await everything();
  const answer = await upload(
    body,
    mode === 'dryRun'
      ? `?dryRun=true&name=${name}`
      : mode === 'activate'
        ? `?activate=true&name=${name}`
        : `?name=${name}`,
  );
  assert.ok(answer.status < 500, `${what}: ${answer.status} ${JSON.stringify(answer.json()).slice(0, 300)}`);
  count(`${mode} ${answer.status}`);
  if (answer.status >= 400) {
    assertRefusal(answer, what);
    assert.deepEqual(await everything(), before, `${what}: a refused upload changed what an instance routes or stores`);
    return;
  }
  const { version } = answer.json();
  assert.ok(version, 'an accepted upload names its version');
  if (mode === 'dryRun') {
    assert.deepEqual(await everything(), before, `${what}: a dry run changed something`);
    return;
  }
  if (mode === 'activate')
    await Promise.all([servingVersion(a.tables, version, 10_000), servingVersion(b.tables, version, 10_000)]);
  await assertExportSafe(version, name);
}

// In a before hook: awaited at the top level after an assertion, tap ended the root test before
// the subtests below were created (seen once a slower compile made that wait longer).
t.before(async () => {
  const baseline = await upload(
    writeTable(slice, { bom: false, eol: '\n', quoting: 'csv', trailingEol: true }),
    '?activate=true&name=fuzz',
  );
  assert.equal(baseline.status, 201, 'the 24/7 slice of the sample is the starting table');
  await Promise.all([
    servingVersion(a.tables, baseline.json().version!, 10_000),
    servingVersion(b.tables, baseline.json().version!, 10_000),
  ]);
});

t.test('hostile tables: 2xx or 4xx with details, never 5xx; refusals change nothing on either instance', async (t) => {
  const mode = fc.oneof(
    { arbitrary: fc.constant('dryRun' as const), weight: 6 },
    { arbitrary: fc.constant('store' as const), weight: 3 },
    { arbitrary: fc.constant('activate' as const), weight: 1 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.array(hostileMutation, { minLength: 1, maxLength: 4 }),
      anyWriter,
      mode,
      async (mutations, writer, m) => {
        await uploadAndCheck(
          writeTable(applyMutations(slice, mutations), writer),
          m,
          `${m} ${JSON.stringify(mutations).slice(0, 300)} ${JSON.stringify(writer)}`,
        );
      },
    ),
    { numRuns: Math.ceil(RUNS / 4), seed },
  );
  t.pass(`hostile uploads: ${JSON.stringify(tally)}`);
});

t.test('a single bad cell is refused naming its row (the CSV line) and its column', async (t) => {
  const bad: Record<string, string[]> = {
    id: ['Bad Id', '=cmd', 'x'.repeat(65), '__proto__', ''],
    kind: ['regional', 'National'],
    name: ['=HYPERLINK("http://x")', '+cmd', '-1+2', '@SUM(1)', "'=1+1", 'x'.repeat(501), 'a\u0007b', ''],
    phone: ['555-not-a-number', '+44 20 7946 0958', '911', '0000000000', '1e10', '+1212555010', 'tel:', ''],
    lat: ['95', '-91', 'NaN', 'abc', '1e400', '40,7'],
    lon: ['181', '-181', 'x'],
    zip: ['1234', 'abcde', '123456'],
    state: ['ny', 'NEW', 'N1'],
    timeZone: ['America/Gotham', '+05:00', '../../etc/passwd', 'Local', ''],
    hours: ['Mo-Fr 25:00-26:00', 'mo-fr 09:00-17:00', '24/8', 'Mo-Fr 9-5', 'always', ''],
    languages: ['english', 'EN', 'e'],
    serviceStates: ['ny', 'New York'],
    serviceZips: ['123', '1000a'],
    servicePrefixes: ['0212', '1234567890', 'abc'],
    backupId: ['nowhere', 'x'.repeat(65)],
  };
  const badCell = fc
    .constantFrom(...Object.keys(bad))
    .chain((column) => fc.constantFrom(...bad[column]!).map((value) => ({ column, value })));
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.nat({ max: slice.rows.length - 1 }),
      badCell,
      wellFormedWriter,
      async (row, { column, value }, writer) => {
        const answer = await upload(
          writeTable(applyMutations(slice, [{ kind: 'setCell', row, column, value }]), writer),
          '?dryRun=true',
        );
        assert.equal(
          answer.status,
          422,
          `${column}=${JSON.stringify(value.slice(0, 40))} on row ${row}: ${answer.status}`,
        );
        const details = assertRefusal(answer, column);
        assert.ok(
          details.some((d) => d.row === row + 2 && d.column === column),
          `${column}=${JSON.stringify(value.slice(0, 40))}: expected row ${row + 2}, ` +
            `got ${JSON.stringify(details).slice(0, 300)}`,
        );
        refused += 1;
      },
    ),
    { numRuns: Math.ceil(RUNS / 4), seed },
  );
  t.pass(`${refused} single-cell refusals, each naming its row and column`);
});

t.test('JSON uploads with the wrong types, nesting and prototype keys: never 5xx, refusals with details', async (t) => {
  const objects = slice.rows.map((r) => Object.fromEntries(slice.header.map((c, i) => [c, r[i]])));
  const value = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.object({ maxDepth: 1 }),
  );
  const key = fc.oneof(
    fc.constantFrom(...slice.header),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra'),
  );
  const edit = fc.record({ row: fc.nat({ max: objects.length - 1 }), key, value });
  const shape = fc.constantFrom('array', 'wrapped', 'scalar', 'nested');
  let seen = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), shape, async (edits, form) => {
      const rows = objects.map((o) => ({ ...o }) as Record<string, unknown>);
      for (const e of edits) rows[e.row]![e.key] = e.value;
      const payload =
        form === 'array'
          ? rows
          : form === 'wrapped'
            ? { affiliates: rows }
            : form === 'scalar'
              ? rows[0]!.name
              : { affiliates: { rows } };
      // JSON.stringify drops a __proto__ own key set through assignment; writing it by hand keeps the poisoned key
      // in the text.
      const text = JSON.stringify(payload).replace(
        '"extra":',
        edits.some((e) => e.key === '__proto__') ? '"__proto__":{"polluted":1},"extra":' : '"extra":',
      );
      const answer = await upload(text, '?dryRun=true', 'application/json');
      assert.ok(answer.status < 500, `${answer.status} for ${text.slice(0, 200)}`);
      if (answer.status >= 400) assertRefusal(answer, 'json');
      seen += 1;
    }),
    { numRuns: Math.ceil(RUNS / 6), seed },
  );
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  t.pass(`${seen} JSON uploads`);
});

t.test(
  'tables that stay valid (names in any script, quotes, apostrophes, reordered columns, CRLF, BOM; CSV or JSON) ' +
    'are stored, exported safe and round-trip',
  async (t) => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        // Each accepted table costs compiles: fewer tables, each with more edits, try as many edits in all.
        fc.array(benignMutation, { minLength: 1, maxLength: 6 }),
        wellFormedWriter,
        fc.boolean(),
        fc.constantFrom('csv', 'json'),
        async (mutations, writer, activate, format) => {
          const table: Table = applyMutations(slice, mutations);
          const body = format === 'csv' ? writeTable(table, writer) : asJson(table);
          const answer = await upload(
            body,
            activate ? '?activate=true&name=fuzz' : '?name=fuzz',
            format === 'csv' ? 'text/csv' : 'application/json',
          );
          assert.ok(
            answer.status === 200 || answer.status === 201,
            `${answer.status} ${JSON.stringify(answer.json()).slice(0, 1500)} ` +
              `for ${JSON.stringify(mutations).slice(0, 500)}`,
          );
          const { version } = answer.json();
          if (activate)
            await Promise.all([servingVersion(a.tables, version!, 10_000), servingVersion(b.tables, version!, 10_000)]);
          await assertExportSafe(version!, 'fuzz');
          accepted += 1;
        },
      ),
      { numRuns: Math.max(4, Math.ceil(RUNS / 120)), seed },
    );
    t.pass(`${accepted} valid tables stored, exported and uploaded again`);
  },
);
