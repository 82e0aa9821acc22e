import { readFile } from 'node:fs/promises';
import t from 'tap';
import { compileRoutingTable } from '../../src/core/compileRoutingTable.js';
import { openCentersAt, route, type RouteQuery } from '../../src/core/route.js';
import { packRoutingTable, transferablesOf, unpackRoutingTable } from '../../src/core/tableParts.js';
import { TimeZoneClock } from '../../src/core/timeZoneClock.js';
import { DEFAULT_POLICY } from '../../src/core/types.js';
import { tableBuilderFor } from '../../src/tables/tableBuilder.js';
import { shippedData, shippedTable } from '../helpers/app.js';

const clock = { nowMs: Date.parse('2026-12-07T15:00:00Z'), zones: new TimeZoneClock() };
const queries: RouteQuery[] = [
  { kind: 'phone', phone: '+19164452841' },
  { kind: 'phone', phone: '(212) 555-0123', lang: 'es' },
  { kind: 'phone', phone: '+13075550100' },
  { kind: 'phone', phone: '+18005550100' },
  { kind: 'zip', zip: '10001' },
  { kind: 'zip', zip: '99501' },
  { kind: 'zip', zip: '00901', lang: 'es' },
  { kind: 'zip', zip: '09012' },
  { kind: 'location', lat: 38.58, lon: -121.49 },
  { kind: 'location', lat: 0, lon: 0 },
];
const answers = (table: Parameters<typeof route>[0]) =>
  queries.map((q) => JSON.parse(JSON.stringify(route(table, q, openCentersAt(table, clock)))));

t.test(
  'a table moved between threads as its parts answers every caller exactly as the table it came from',
  async (t) => {
    const data = await shippedData();
    const { version } = data.prepared;
    // A table of its own to move (moving empties it); the file's one compiled table answers as it should.
    const table = compileRoutingTable(data.geography.packed.unpack(), data.prepared.dataset, DEFAULT_POLICY, version);
    const parts = packRoutingTable(table);
    const moved = structuredClone(parts, { transfer: transferablesOf(parts) });
    t.equal(table.rankedCenters.length, 0, 'the arrays were moved, not copied');
    t.same(answers(unpackRoutingTable(moved)), answers(await shippedTable()));
  },
);

t.test('the builder validates and compiles in a worker thread, with the same answers as a compile here', async (t) => {
  const data = await shippedData();
  const builder = tableBuilderFor(data, DEFAULT_POLICY);
  t.teardown(() => builder.close());
  const csv = await readFile('data/affiliates.csv', 'utf8');
  const built = await builder.build({ body: csv, format: 'csv' }, { name: 'sample', markedSample: true });
  if (!built.ok) throw new Error('the shipped table must validate');
  t.equal(built.prepared.version, data.prepared.version, 'named by content, as data/ names it');
  t.same(answers(built.table), answers(await shippedTable()));
  t.ok(built.compileMs > 0, 'the compile time is the worker thread’s');

  const rejected = await builder.build(
    { body: csv.replace('+12055550100', '+1205555'), format: 'csv' },
    { name: 'sample', markedSample: true },
  );
  t.notOk(rejected.ok, 'a table that does not validate comes back with its problems');
  if (!rejected.ok) t.match(rejected.problems, [{ row: Number, column: 'phone', message: String }]);

  const fewer = csv
    .split('\n')
    .filter((line) => !line.startsWith('al-huntsville,'))
    .join('\n')
    .replace(',al-huntsville\n', ',\n');
  const against = {
    version: 'v0',
    meta: {} as never,
    csv,
    dataset: built.prepared.dataset,
    table: built.table,
    parts: built.parts,
    compileMs: 0,
    coverage: built.coverage,
  };
  const compared = await builder.build({ body: fewer, format: 'csv' }, { name: 'sample', markedSample: true }, against);
  if (!compared.ok) throw new Error(`the smaller table must validate: ${JSON.stringify(compared.problems)}`);
  t.same(compared.diff?.centers.removed, ['al-huntsville'], 'compared with the version given, in the worker');
  t.ok(compared.diff!.firstCenterChanged.zips > 0);
});
