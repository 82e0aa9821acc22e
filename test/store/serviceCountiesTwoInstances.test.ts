import t from 'tap';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, sampleCsv, servingVersion, startInstance, type Instance } from '../helpers/service.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const namespace = testNamespace();
const a = await startInstance(redisServer.url, { namespace });
const b = await startInstance(redisServer.url, { namespace });
t.teardown(() => Promise.all([a.close(), b.close()]));

/** How long an instance may take to follow an activation before the test calls it stuck. */
const SWITCH_DEADLINE_MS = 15_000;

/** The sample table with a serviceCounties column, one center naming counties in it. */
function withCounties(csv: string, id: string, counties: string): string {
  const [header, ...rows] = parse(csv) as string[][];
  return stringify([[...header!, 'serviceCounties'], ...rows.map((row) => [...row, row[0] === id ? counties : ''])]);
}

const first = async (instance: Instance, query: string) =>
  (await instance.inject(`/v1/route?${query}`)).json().destinations[0].id as string;
// New City, NY: zip 10956 and exchange 845-213 are in Rockland County, across the line from Paterson, NJ.
const ROCKLAND_ZIP = 'zip=10956';
const ROCKLAND_PHONE = `phone=${encodeURIComponent('+18452130123')}`;

t.test('a county given to a center on one instance routes its callers there on every instance', async (t) => {
  t.not(await first(b, ROCKLAND_ZIP), 'nj-paterson', 'before: a New York center first for the zip');
  t.not(await first(b, ROCKLAND_PHONE), 'nj-paterson', 'and for the phone');

  const upload = await a.inject({
    method: 'POST',
    url: '/v1/admin/datasets?activate=true&name=rockland',
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: withCounties(sampleCsv(), 'nj-paterson', 'Rockland County, NY'),
  });
  t.equal(upload.statusCode, 201, 'stored and activated');
  const version = upload.json().version as string;
  await servingVersion(b.tables, version, SWITCH_DEADLINE_MS);

  t.equal(await first(b, ROCKLAND_ZIP), 'nj-paterson', 'by zip');
  t.equal(await first(b, ROCKLAND_PHONE), 'nj-paterson', 'by phone (the exchange is located in the county)');
  t.not(await first(b, 'zip=10001'), 'nj-paterson', 'Manhattan keeps its own order');

  const exported = await b.inject({ url: `/v1/admin/datasets/${version}/affiliates`, headers: auth() });
  const [header, ...rows] = parse(exported.body) as string[][];
  const paterson = rows.find((row) => row[0] === 'nj-paterson')!;
  t.equal(paterson[header!.indexOf('serviceCounties')], '36087', 'stored as its FIPS code');
});

t.test('a county given by its FIPS code routes the same way on every instance', async (t) => {
  // White Plains, NY: zip 10601 and exchange 914-684, in Westchester County (36119).
  const westchesterZip = 'zip=10601';
  const westchesterPhone = `phone=${encodeURIComponent('+19146840123')}`;
  t.not(await first(b, westchesterZip), 'nj-paterson', 'before: a New York center first');

  const upload = await a.inject({
    method: 'POST',
    url: '/v1/admin/datasets?activate=true&name=westchester',
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: withCounties(sampleCsv(), 'nj-paterson', '36119'),
  });
  t.equal(upload.statusCode, 201, 'stored and activated');
  await servingVersion(b.tables, upload.json().version as string, SWITCH_DEADLINE_MS);

  t.equal(await first(b, westchesterZip), 'nj-paterson', 'by zip');
  t.equal(await first(b, westchesterPhone), 'nj-paterson', 'by phone');
  t.not(await first(b, ROCKLAND_ZIP), 'nj-paterson', 'Rockland is no longer named: its own order is back');
});
