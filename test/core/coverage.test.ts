import t from 'tap';
import { compileRoutingTable } from '../../src/core/compileRoutingTable.js';
import { computeCoverage } from '../../src/core/coverage.js';
import type { Geography, PrefixPlace } from '../../src/core/inputs.js';
import { DEFAULT_POLICY } from '../../src/core/types.js';
import { ALBANY, center, dataset, MANHATTAN, miniGeography, NEWARK } from '../helpers/miniWorld.js';

/**
 * The mini world with one exchange per city, and no center in Pennsylvania: Philadelphia's callers
 * go to Newark, 121.6 km away. Brooklyn's center is nearer to no place than Manhattan's.
 */
const exchange = (prefix: string, state: string, lat: number, lon: number): PrefixPlace => ({
  prefix,
  lat,
  lon,
  state,
  place: 'Exchange',
  precision: 'exchange',
  lineType: 'wireline',
});
const geography: Geography = {
  zips: miniGeography.zips,
  prefixes: [
    ...miniGeography.prefixes,
    exchange('212555', 'NY', 40.75, -73.99),
    exchange('518555', 'NY', 42.65, -73.75),
    exchange('973555', 'NJ', 40.73, -74.17),
    exchange('215555', 'PA', 39.95, -75.17),
  ],
};
const BROOKLYN = center({ id: 'ny-brooklyn', phone: '+17185550101', lat: 40.65, lon: -73.95 });
const table = compileRoutingTable(geography, dataset([MANHATTAN, ALBANY, NEWARK, BROOKLYN]), DEFAULT_POLICY, 'mini-1');
const coverage = computeCoverage(table, geography);

t.test('per state: the share of zips and exchanges whose first center is in the state', async (t) => {
  const share = coverage.states.map((s) => [s.state, s.zipsInStateFirst, s.zips, s.exchangesInStateFirst, s.exchanges]);
  t.same(share, [
    ['NJ', 1, 1, 1, 1],
    ['NY', 4, 4, 2, 2],
    ['PA', 0, 1, 0, 1],
  ]);
  t.same(
    coverage.states.map((s) => [s.zipsInStateShare, s.exchangesInStateShare]),
    [
      [1, 1],
      [1, 1],
      [0, 0],
    ],
  );
});

t.test('distances to the first center: nearest-rank p50, p90 and max, in km to the tenth', async (t) => {
  // NY's zips: Manhattan 0 and 3.9 km, Albany 0, Palisades 30.3 km from Manhattan.
  t.same(coverage.states.find((s) => s.state === 'NY')!.firstKm, { p50: 0, p90: 30.3, max: 30.3 });
  t.same(coverage.states.find((s) => s.state === 'PA')!.firstKm, { p50: 121.6, p90: 121.6, max: 121.6 });
});

t.test('zips with no center within 100 km are counted per state', async (t) => {
  t.same(
    coverage.states.map((s) => [s.state, s.zipsBeyondFarKm]),
    [
      ['NJ', 0],
      ['NY', 0],
      ['PA', 1],
    ],
  );
  t.equal(coverage.farKm, 100);
});

t.test('the whole table in one row', async (t) => {
  t.same(coverage.overall, {
    state: 'all',
    zips: 6,
    zipsInStateFirst: 5,
    zipsInStateShare: 0.833,
    exchanges: 4,
    exchangesInStateFirst: 3,
    exchangesInStateShare: 0.75,
    firstKm: { p50: 0, p90: 121.6, max: 121.6 },
    zipsBeyondFarKm: 1,
  });
});

t.test('centers first for nobody, and how many places each one leads', async (t) => {
  t.same(coverage.firstForNobody, ['ny-brooklyn']);
  t.same(
    coverage.centers.map((c) => [c.id, c.firstForZips, c.firstForExchanges]),
    [
      ['ny-manhattan', 3, 1],
      ['ny-albany', 1, 1],
      ['nj-newark', 2, 2],
      ['ny-brooklyn', 0, 0],
    ],
  );
});

t.test('zips by grid cell for the map: middle, count, leading center and farthest first center', async (t) => {
  const { cells } = coverage;
  t.equal(coverage.cellDegrees, 0.25);
  const rows = cells.lat.map((lat, i) => [lat, cells.lon[i], cells.zips[i], cells.center[i], cells.maxKm[i]]);
  t.same(rows, [
    [40.875, -73.875, 1, 0, 0],
    [40.625, -73.875, 1, 0, 3.9],
    [42.625, -73.875, 1, 1, 0],
    [40.625, -74.125, 1, 2, 0],
    [39.875, -75.125, 1, 2, 121.6],
    [41.125, -73.875, 1, 0, 30.3],
  ]);
});
