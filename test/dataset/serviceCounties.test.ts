import t from 'tap';
import { parseAffiliatesCsv, serializeAffiliatesCsv } from '../../src/dataset/affiliatesCsv.js';
import { validateDataset, type ValidationResult } from '../../src/dataset/validateDataset.js';
import { PackedGeography } from '../../src/dataset/packedGeography.js';
import { splitCountyList } from '../../src/dataset/counties.js';
import { compileRoutingTable } from '../../src/core/compileRoutingTable.js';
import { openCentersAt, route, type RouteQuery } from '../../src/core/route.js';
import { DEFAULT_POLICY, type RoutingTable } from '../../src/core/types.js';
import type { Geography } from '../../src/dataset/geography.js';
import {
  ALBANY,
  MANHATTAN,
  NEWARK,
  WEDNESDAY_10AM_NEW_YORK,
  clockAt,
  dataset,
  miniGeography,
} from '../helpers/miniWorld.js';

// The mini world with counties: Palisades (10964) is in Rockland County, NY, across the line from Newark.
const COUNTY: Record<string, string> = {
  '10001': '36061',
  '10002': '36061',
  '12207': '36001',
  '07102': '34013',
  '19103': '42101',
  '10964': '36087',
};
const geography: Geography = {
  zips: miniGeography.zips.map((z) => ({ ...z, county: COUNTY[z.zip]! })),
  prefixes: [
    ...miniGeography.prefixes,
    // An exchange whose rate center is in Rockland: its nearest zip is Palisades.
    {
      prefix: '845213',
      lat: 41.02,
      lon: -73.92,
      state: 'NY',
      place: 'New City',
      precision: 'exchange',
      lineType: 'wireline',
    },
  ],
  counties: [
    { fips: '34003', state: 'NJ', name: 'Bergen County' },
    { fips: '34013', state: 'NJ', name: 'Essex County' },
    { fips: '36001', state: 'NY', name: 'Albany County' },
    { fips: '36061', state: 'NY', name: 'New York County' },
    { fips: '36087', state: 'NY', name: 'Rockland County' },
    { fips: '36119', state: 'NY', name: 'Westchester County' },
    { fips: '42101', state: 'PA', name: 'Philadelphia County' },
    { fips: '22071', state: 'LA', name: 'Orleans Parish' },
    { fips: '24005', state: 'MD', name: 'Baltimore County' },
    { fips: '24510', state: 'MD', name: 'Baltimore city' },
  ],
};
const zips = PackedGeography.pack(geography).zips;

const HEADER =
  'id,kind,name,phone,lat,lon,zip,state,timeZone,hours,languages,serviceStates,serviceZips,servicePrefixes,' +
  'serviceCounties,backupId';
const NATIONAL = 'national,national,Test National (fictional),+18005550100,,,,,America/New_York,24/7,,,,,,';
const MANHATTAN_ROW =
  'ny-manhattan,affiliate,Test Manhattan (fictional),+12125550101,40.7506,-73.9973,,NY,America/New_York,24/7,,,,,,';
const newarkRow = (counties: string) =>
  'nj-newark,affiliate,Test Newark (fictional),+19735550101,40.7357,-74.1724,,NJ,America/New_York,24/7,,,,,' +
  `"${counties}",`;

function validate(counties: string): ValidationResult {
  const table = parseAffiliatesCsv([HEADER, NATIONAL, MANHATTAN_ROW, newarkRow(counties)].join('\n'));
  if (!table.ok) throw new Error(JSON.stringify(table.problems));
  return validateDataset({ name: 't', markedSample: true, ...table.table }, zips);
}
const countiesOf = (result: ValidationResult) =>
  result.ok ? result.dataset.affiliates.find((a) => a.id === 'nj-newark')!.serviceCounties : result.problems;
const messages = (result: ValidationResult) => (result.ok ? [] : result.problems.map((p) => p.message));

t.test('serviceCounties are read as FIPS codes, whatever way ops name them', async (t) => {
  t.same(countiesOf(validate('36087')), ['36087'], 'a FIPS code');
  t.same(countiesOf(validate('Rockland County, NY')), ['36087'], 'the Census name and the state');
  t.same(countiesOf(validate('rockland, ny')), ['36087'], 'without "County", in any case');
  t.same(countiesOf(validate('Orleans, LA')), ['22071'], 'without "Parish"');
  t.same(
    countiesOf(validate('Rockland County, NY; Westchester, NY 34003 36087')),
    ['36087', '36119', '34003'],
    'a list of names and codes, each county once',
  );
});

t.test('an unknown county is refused, with a suggestion for a near miss', async (t) => {
  t.same(messages(validate('Westchster County, NY')), [
    'serviceCounties: "Westchster County, NY" is not a county of NY (did you mean Westchester County, NY?)',
  ]);
  t.same(messages(validate('Springfield, NY')), ['serviceCounties: "Springfield, NY" is not a county of NY']);
  t.same(messages(validate('99999')), ['serviceCounties: 99999 is not the FIPS code of a US county']);
  t.same(messages(validate('Baltimore, MD')), [
    'serviceCounties: "Baltimore, MD" is ambiguous: Baltimore County, MD or Baltimore city, MD',
  ]);
  t.match(messages(validate('Rockland County NY')), [/serviceCounties are 5-digit county FIPS codes or names/]);
  const problem = validate('Westchster County, NY');
  t.match(!problem.ok && problem.problems[0], { row: 4, column: 'serviceCounties' }, 'on its row and column');
});

t.test('a county name keeps its own words apart from the list separators', async (t) => {
  t.same(splitCountyList('Prince of Wales-Hyder Census Area, AK, 36119;St. Louis city, mo'), [
    'Prince of Wales-Hyder Census Area, AK',
    '36119',
    'St. Louis city, MO',
  ]);
  t.equal(splitCountyList('Rockland County NY'), null);
});

t.test('the column is optional: a table without it validates and exports as before', async (t) => {
  const old = HEADER.replace(',serviceCounties', '');
  const csv = [old, NATIONAL.slice(0, -1), MANHATTAN_ROW.slice(0, -1)].join('\n') + '\n';
  const table = parseAffiliatesCsv(csv);
  const result = table.ok && validateDataset({ name: 't', markedSample: true, ...table.table }, zips);
  t.ok(result && result.ok);
  if (!result || !result.ok) return;
  t.equal(result.dataset.affiliates[0]!.serviceCounties, undefined);
  const exported = serializeAffiliatesCsv([result.dataset.national, ...result.dataset.affiliates]);
  t.notMatch(exported.split('\n')[0], /serviceCounties/, 'no serviceCounties column in the export');
  const withCounties = validate('Rockland County, NY');
  if (!withCounties.ok) return t.fail('expected a valid table');
  const both = serializeAffiliatesCsv([withCounties.dataset.national, ...withCounties.dataset.affiliates]);
  t.match(both, /,serviceCounties,/, 'the column is written when a center names a county');
  t.match(both, /nj-newark,.*,36087,/, 'as FIPS codes');
});

const decideFirst = (table: RoutingTable, query: RouteQuery) => {
  const result = route(table, query, openCentersAt(table, clockAt(WEDNESDAY_10AM_NEW_YORK)));
  if (!('destinations' in result)) throw new Error(JSON.stringify(result));
  return result.destinations[0]!.id;
};
const zip = (z: string): RouteQuery => ({ kind: 'zip', zip: z });
const phone = (p: string): RouteQuery => ({ kind: 'phone', phone: p });

t.test('a center serving a county across the state line comes first for callers placed in it', async (t) => {
  const compile = (counties: string[]) =>
    compileRoutingTable(
      geography,
      dataset([MANHATTAN, ALBANY, { ...NEWARK, serviceCounties: counties }]),
      DEFAULT_POLICY,
      'mini-counties',
    );
  const before = compile([]);
  t.equal(decideFirst(before, zip('10964')), 'ny-manhattan', 'without it, the in-state center');
  t.equal(decideFirst(before, phone('+18452130123')), 'ny-manhattan');

  const byFips = compile(['36087']);
  t.equal(decideFirst(byFips, zip('10964')), 'nj-newark', 'by the zip of a caller in the county');
  t.equal(decideFirst(byFips, phone('+18452130123')), 'nj-newark', 'by an exchange located in the county');
  t.equal(decideFirst(byFips, zip('10001')), 'ny-manhattan', 'other counties keep their order');
  t.equal(decideFirst(byFips, phone('+12122267834')), 'ny-manhattan');

  const named = validate('Rockland County, NY');
  if (!named.ok) return t.fail(JSON.stringify(named.problems));
  const byName = compileRoutingTable(geography, named.dataset, DEFAULT_POLICY, 'mini-named');
  t.equal(decideFirst(byName, zip('10964')), 'nj-newark', 'named, by zip');
  t.equal(decideFirst(byName, phone('+18452130123')), 'nj-newark', 'named, by phone');
});
