// data/exchanges.json from NANPA's reports in data/sources/, with libphonenumber's cities as evidence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildExchangeTable,
  exchangeTotals,
  type ExchangeStats,
  type ExchangeTable,
} from '../../src/geography/exchangeTable.js';
import { parseAreaCodeReport, parseCoCodeZip } from '../../src/geography/nanpaReports.js';
import { parseAliases, type ExchangeEvidence } from '../../src/geography/rateCenters.js';
import { cmp } from './util.js';
import type { PrefixRow } from './prefixes.js';
import type { ZipIndex } from './zips.js';

export type BuiltExchanges = { table: ExchangeTable; stats: ExchangeStats & { stateDisagreements: string[] } };

export function buildExchanges(
  sourcesDir: string,
  libphonenumberRows: readonly PrefixRow[],
  index: ZipIndex,
): BuiltExchanges {
  const co = parseCoCodeZip(readFileSync(join(sourcesDir, 'nanpa', 'CoCodeAssignment_Utilized_AllStates_Public.zip')));
  const npa = parseAreaCodeReport(readFileSync(join(sourcesDir, 'nanpa', 'npa_report.csv'), 'utf8'));
  const aliases = parseAliases(readFileSync(join(sourcesDir, 'rate-center-aliases.csv'), 'utf8'));
  const evidence = new Map<string, ExchangeEvidence>();
  for (const row of libphonenumberRows) {
    if (row.prefix.length !== 6 || row.precision !== 'city') continue;
    evidence.set(row.prefix, {
      state: row.state,
      name: row.place.replace(/, [A-Z]{2}$/, ''),
      lat: row.lat,
      lon: row.lon,
    });
  }
  const { table, stats } = buildExchangeTable(co, npa, { aliases, cities: index.cityIndex(), evidence });
  const stateDisagreements = co.codes.flatMap((c) => {
    const e = evidence.get(c.exchange);
    return e && e.state !== c.state ? [`${c.exchange}: NANPA ${c.state}, libphonenumber ${e.name}, ${e.state}`] : [];
  });
  checkShippedTable(table);
  return { table, stats: { ...stats, stateDisagreements } };
}

/** Facts about the shipped files that a refresh may change but a rebuild of these must not. */
function checkShippedTable(table: ExchangeTable): void {
  const expect = (cond: boolean, what: string): void => {
    if (!cond) throw new Error(`exchange table sanity check failed: ${what}`);
  };
  const npa = new Map(table.areaCodes.map((a) => [a[0], a[1]]));
  expect(npa.get('624') === 'NY', '624 (no exchange yet) is New York');
  expect(!npa.has('278') && !npa.has('627'), '278 and 627 (not in service) are absent');
  const rc = (exchange: number) => table.rateCenters[table.exchanges.find((e) => e[0] === exchange)![1]]!;
  expect(rc(916445)[2] === 'Sacramento', '916-445 is Sacramento');
  expect(rc(201631)[0] === 'NJ', '201-631 is New Jersey');
}

const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(2)}%`;

export function printExchangeReport(stats: BuiltExchanges['stats']): void {
  const t = exchangeTotals(stats);
  console.log('\nexchanges.json');
  console.log(`  NANPA files: central office codes ${stats.coFileDate}, area codes ${stats.npaFileDate}`);
  console.log(`  assigned exchanges in US states and territories: ${t.exchanges}`);
  console.log(`    at rate-center level ${t.rateCenter} (${pct(t.rateCenter, t.exchanges)}),`);
  console.log(`    at area-code level ${t.areaCode} (${pct(t.areaCode, t.exchanges)}), not placed ${t.notPlaced}`);
  const states = Object.entries(stats.byState).sort((a, b) => cmp(a[0], b[0]));
  for (const [st, c] of states)
    console.log(`    ${st} ${c.exchanges}: ${c.rateCenter} / ${c.areaCode} / ${c.notPlaced}`);
  const by = Object.entries(stats.rateCentersBy)
    .map(([how, n]) => `${how} ${n}`)
    .join(', ');
  console.log(`  rate centers: ${stats.rateCenters} (${by}); not located ${stats.unlocated.length}`);
  console.log(`  line types: ${JSON.stringify(stats.lineTypes)}`);
  console.log(
    `  area codes in service: ${stats.areaCodes}; without exchanges: ${stats.areaCodesWithoutExchanges.join(', ')}`,
  );
  console.log(`  state disagreements with libphonenumber (NANPA kept): ${stats.stateDisagreements.join('; ')}`);
}
