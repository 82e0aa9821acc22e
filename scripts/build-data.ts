// Builds the reference data the router loads at startup:
//
//   data/zips.json        every US zip -> point, state, city, county; and the counties (FIPS -> state, name)
//   data/exchanges.json   every US area code and assigned exchange (NPA-NXX) -> rate center, place, line type
//   data/affiliates.csv   SAMPLE table of fictional crisis centers (ops upload the real one)
//   data/dataset.json     marks the shipped table as sample data
//   data/README.md        provenance, licences and the affiliates table format
//
// Run with `npm run build:data`. The output is deterministic: inputs are installed npm packages and the files in
// data/sources/ (NANPA's reports, the reviewed rate-center aliases), everything is sorted, choices that look random
// are hashes of ids, and nothing time-dependent is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableJson, packageInfo } from './build-data/util.js';
import { buildZipTable, zipRowsForJson, ZipIndex, ZIP_COLUMNS } from './build-data/zips.js';
import { buildPrefixTable } from './build-data/prefixes.js';
import { buildCounties, COUNTY_COLUMNS } from './build-data/counties.js';
import { buildExchanges, printExchangeReport } from './build-data/exchanges.js';
import { exchangeTableJson } from '../src/geography/exchangeTable.js';
import { buildSampleAffiliates } from './build-data/affiliates.js';
import { renderReadme, SOURCE_PACKAGES } from './build-data/readme.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DATA_DIR = join(ROOT, 'data');
const SOURCES = join(DATA_DIR, 'sources');

const DATASET = {
  name: 'sample',
  sample: true,
  description:
    'FICTIONAL sample affiliate table for development and tests. ' +
    'Every phone number is in the reserved 555-01XX range. Never serve to real callers.',
  affiliatesFile: 'affiliates.csv',
};

function write(name: string, content: string): void {
  const path = join(DATA_DIR, name);
  writeFileSync(path, content);
  console.log(`wrote ${relative(ROOT, path)} (${Buffer.byteLength(content)} bytes)`);
}

function main(): void {
  mkdirSync(DATA_DIR, { recursive: true });

  const zips = buildZipTable();
  const index = new ZipIndex(zips.rows);
  const counties = buildCounties(zips.rows);
  const countyRows = counties.rows.map((c) => [c.fips, c.state, c.name]);
  // One file: the counties table rides along with the zips that name them.
  const zipJson = tableJson(ZIP_COLUMNS, zipRowsForJson(zips.rows, counties.zipCounty));
  write(
    'zips.json',
    `${zipJson.trimEnd().slice(0, -1)},"counties":${tableJson(COUNTY_COLUMNS, countyRows).trimEnd()}}\n`,
  );

  // libphonenumber's geocoding: evidence of where rate centers are, and the sample table's area codes.
  const prefixes = buildPrefixTable(index);
  const exchanges = buildExchanges(SOURCES, prefixes.rows, index);
  write('exchanges.json', exchangeTableJson(exchanges.table));

  const affiliates = buildSampleAffiliates(index, zips.rows, prefixes.rows);
  write('affiliates.csv', affiliates.csv);

  write('dataset.json', JSON.stringify(DATASET, null, 2) + '\n');

  const packages = SOURCE_PACKAGES.map(packageInfo);
  write(
    'README.md',
    renderReadme({
      packages,
      zips: zips.stats,
      counties: counties.stats,
      prefixes: prefixes.stats,
      exchanges: exchanges.stats,
      affiliates: affiliates.stats,
    }),
  );

  // ---- report ----
  const z = zips.stats;
  console.log('\nzips.json');
  console.log(`  rows: ${z.total} (Census point ${z.fromCensusPoint}, zipcodes point ${z.fromZipcodesPoint})`);
  console.log(`  state inferred from 3-digit prefix: ${z.stateInferred.length} ${z.stateInferred.join(' ')}`);
  console.log(`  dropped, not a kept state: ${JSON.stringify(z.droppedNotKeptState)}`);
  console.log(`  dropped, no coordinates: ${z.droppedNoCoordinates}; no state: ${z.droppedNoState.length}`);
  console.log(`  dropped, point far outside its state: ${z.droppedOutlier.join('; ')}`);
  console.log(`  rows without a city: ${z.withoutCity}`);

  const c = counties.stats;
  console.log('\ncounties (in zips.json)');
  console.log(`  counties: ${c.counties}; zips with a county: ${c.zipsWithCounty} of ${z.total}`);
  console.log(`  one county in the relationship file: ${c.fromRelationship} (point elsewhere: ${c.pointDisagrees})`);
  console.log(`  split: ${c.split} (by the county at the point ${c.splitByPoint}, nearest ${c.splitByNearest})`);
  console.log(`  not in the relationship file: by point ${c.byPoint}, nearest county ${c.byNearest}`);
  console.log(`  without a county: ${JSON.stringify(c.withoutCounty)}; renumbered: ${c.renamed.join(', ')}`);
  console.log(`  names from the boundaries: ${c.namesFromBoundaries.join('; ')}`);

  printExchangeReport(exchanges.stats);

  const p = prefixes.stats;
  console.log('\nlibphonenumber geocoding (evidence for rate centers, area codes of the sample table)');
  console.log(`  source entries (libphonenumber NANP): ${p.sourceEntries}`);
  console.log(`  rows: ${p.kept} (city-level ${p.cityLevel}); by prefix length: ${JSON.stringify(p.byLength)}`);
  for (const [reason, n] of Object.entries(p.dropped).sort()) {
    console.log(`  dropped ${n}: ${reason} (e.g. ${p.droppedExamples[reason]!.join('; ')})`);
  }
  console.log(`  "City, ST" not found in zips -> state centroid: ${p.unresolvedCities.length}`);
  console.log(`    ${p.unresolvedCities.join('; ')}`);
  const completed = (from: string, areaCodes: string[]) =>
    console.log(`  area codes completed from ${from}: ${areaCodes.length} ${areaCodes.join(' ')}`);
  completed('areacodes', p.completedFromAreacodes);
  completed('longer prefixes', p.completedFromLongerPrefixes);
  completed('libphonenumber-js metadata', p.completedFromPhoneMetadata);
  for (const w of p.warnings) console.log(`  warning: ${w}`);

  const a = affiliates.stats;
  console.log('\naffiliates.csv');
  console.log(`  affiliates: ${a.affiliates} + 1 national; states covered: ${a.states}`);
  console.log(
    `  per state: ${Object.entries(a.perState)
      .map(([s, n]) => `${s}=${n}`)
      .join(' ')}`,
  );
  console.log(`  24/7: ${a.twentyFourSeven}; Spanish: ${a.spanish}; with backup: ${a.withBackup}`);
  console.log(`  with a service area: ${a.withServiceArea.join(' ')}`);
}

main();
