// prefixes.json: every US area code in service and every assigned exchange (NPA-NXX), from NANPA.
import { cmp, round } from './util.js';
import { STATE_NAMES, isKeptState, CORE_STATES } from './states.js';
import { lineTypeOf, type LineType } from './lineTypes.js';
import type { AreaCode, CoCode } from './nanpa.js';
import type { PrefixRow } from './prefixes.js';
import { locateRateCenters, type AliasTable, type ExchangeEvidence } from './rateCenters.js';
import type { ZipIndex } from './zips.js';

const LINE_TYPE_LETTER: Record<LineType, string> = { wireless: 'w', wireline: 'l', unknown: 'u' };

export interface ExchangeTable {
  areaCodes: [string, string, number, number][];
  rateCenters: [string, string, string, number | null, number | null][];
  exchanges: [number, number, string][];
}

export interface StateCount {
  exchanges: number;
  rateCenter: number;
  areaCode: number;
  notPlaced: number;
}

export interface ExchangeStats {
  coFileDate: string;
  npaFileDate: string;
  assigned: number;
  notInService: number;
  outsideKeptStates: number;
  byState: Record<string, StateCount>;
  rateCenters: number;
  rateCentersBy: Record<string, number>;
  unlocated: [string, number][];
  lineTypes: Record<LineType, number>;
  areaCodes: number;
  areaCodesWithoutExchanges: string[];
  stateDisagreements: string[];
}

/**
 * Join NANPA's exchanges with where their rate centers are. An exchange whose rate center nothing
 * locates keeps NANPA's state and is placed at area-code level (the state's centroid).
 */
export function buildExchangeTable(
  co: { codes: CoCode[]; fileDate: string },
  npa: { codes: AreaCode[]; fileDate: string },
  libphonenumberRows: readonly PrefixRow[],
  aliases: AliasTable,
  index: ZipIndex,
): { table: ExchangeTable; stats: ExchangeStats } {
  const areaCodes = npa.codes.filter((a) => a.inService && a.geographic && isKeptState(a.state));
  const areaCodeState = new Map(areaCodes.map((a) => [a.npa, a.state]));
  const codes = co.codes.filter((c) => isKeptState(c.state) && areaCodeState.has(c.exchange.slice(0, 3)));

  const evidence = new Map<string, ExchangeEvidence>();
  for (const row of libphonenumberRows) {
    if (row.prefix.length !== 6 || row.precision !== 'city') continue;
    evidence.set(row.prefix, { state: row.state, name: row.place.replace(/, [A-Z]{2}$/, ''), lat: row.lat, lon: row.lon });
  }
  const stateDisagreements: string[] = [];
  for (const c of codes) {
    const e = evidence.get(c.exchange);
    if (e && e.state !== c.state) stateDisagreements.push(`${c.exchange}: NANPA ${c.state}, libphonenumber ${e.name}, ${e.state}`);
  }

  const byRateCenter = new Map<string, string[]>();
  for (const c of codes) {
    const key = `${c.state}|${c.rateCenter}`;
    const list = byRateCenter.get(key) ?? [];
    list.push(c.exchange);
    byRateCenter.set(key, list);
  }
  const report = locateRateCenters(byRateCenter, evidence, aliases, index);

  const rcKeys = [...byRateCenter.keys()].sort(cmp);
  const rcIndex = new Map(rcKeys.map((k, i) => [k, i]));
  const rateCenters = rcKeys.map((key): ExchangeTable['rateCenters'][number] => {
    const [state, rateCenter] = key.split('|') as [string, string];
    const at = report.located.get(key);
    return at
      ? [state, rateCenter, at.name, round(at.lat, 4), round(at.lon, 4)]
      : [state, rateCenter, STATE_NAMES[state]!, null, null];
  });

  const byState: Record<string, StateCount> = {};
  const lineTypes: Record<LineType, number> = { wireless: 0, wireline: 0, unknown: 0 };
  const exchanges = [...codes]
    .sort((a, b) => cmp(a.exchange, b.exchange))
    .map((c): ExchangeTable['exchanges'][number] => {
      const key = `${c.state}|${c.rateCenter}`;
      const count = (byState[c.state] ??= { exchanges: 0, rateCenter: 0, areaCode: 0, notPlaced: 0 });
      count.exchanges++;
      if (report.located.has(key)) count.rateCenter++;
      else count.areaCode++;
      const lineType = lineTypeOf(c.company);
      lineTypes[lineType]++;
      return [Number(c.exchange), rcIndex.get(key)!, LINE_TYPE_LETTER[lineType]];
    });
  const outside = co.codes.filter((c) => !codes.includes(c));
  for (const c of outside) {
    if (!isKeptState(c.state)) continue;
    const count = (byState[c.state] ??= { exchanges: 0, rateCenter: 0, areaCode: 0, notPlaced: 0 });
    count.exchanges++;
    count.notPlaced++;
  }

  const withExchanges = new Set(codes.map((c) => c.exchange.slice(0, 3)));
  const table: ExchangeTable = {
    areaCodes: areaCodes
      .map((a): ExchangeTable['areaCodes'][number] => {
        const c = index.stateCentroid(a.state);
        return [a.npa, a.state, round(c.lat, 4), round(c.lon, 4)];
      })
      .sort((a, b) => cmp(a[0], b[0])),
    rateCenters,
    exchanges,
  };
  checkExchangeTable(table);
  return {
    table,
    stats: {
      coFileDate: co.fileDate,
      npaFileDate: npa.fileDate,
      assigned: co.codes.length,
      notInService: codes.filter((c) => !c.inService).length,
      outsideKeptStates: co.codes.filter((c) => !isKeptState(c.state)).length,
      byState,
      rateCenters: rcKeys.length,
      rateCentersBy: report.byHow,
      unlocated: report.unlocated,
      lineTypes,
      areaCodes: areaCodes.length,
      areaCodesWithoutExchanges: areaCodes.filter((a) => !withExchanges.has(a.npa)).map((a) => `${a.npa} ${a.state}`),
      stateDisagreements,
    },
  };
}

/** Invariants the service relies on: a build that breaks one fails rather than ship a silent gap. */
function checkExchangeTable(table: ExchangeTable): void {
  const expect = (cond: boolean, what: string): void => {
    if (!cond) throw new Error(`exchange table sanity check failed: ${what}`);
  };
  const npa = new Map(table.areaCodes.map((a) => [a[0], a[1]]));
  expect(npa.get('212') === 'NY', '212 is New York');
  expect(npa.get('787') === 'PR' && npa.get('939') === 'PR', '787 and 939 are Puerto Rico');
  expect(npa.get('624') === 'NY', '624 (no exchange yet) is New York');
  expect(!npa.has('278') && !npa.has('627'), '278 and 627 (not in service) are absent');
  const states = new Set(npa.values());
  for (const st of Object.keys(CORE_STATES)) expect(states.has(st), `${st} has an area code`);
  const rc = (exchange: number) => table.rateCenters[table.exchanges.find((e) => e[0] === exchange)![1]]!;
  expect(rc(916445)[2] === 'Sacramento', '916-445 is Sacramento');
  expect(rc(201631)[0] === 'NJ', '201-631 is New Jersey');
}

const rowsJson = (rows: readonly unknown[][]): string => rows.map((r) => JSON.stringify(r)).join(',\n');

/** One JSON document, one row per line, so a rebuild's diff shows which exchanges moved. */
export function exchangeTableJson(table: ExchangeTable, stats: ExchangeStats): string {
  const source = { coCodes: stats.coFileDate, areaCodes: stats.npaFileDate };
  return (
    `{"source":${JSON.stringify(source)},\n` +
    `"areaCodes":{"columns":["npa","state","lat","lon"],"rows":[\n${rowsJson(table.areaCodes)}\n]},\n` +
    `"rateCenters":{"columns":["state","rateCenter","name","lat","lon"],"rows":[\n${rowsJson(table.rateCenters)}\n]},\n` +
    `"exchanges":{"columns":["exchange","rateCenter","lineType"],"rows":[\n${rowsJson(table.exchanges)}\n]}}\n`
  );
}

export function exchangeTotals(stats: ExchangeStats): StateCount {
  const total: StateCount = { exchanges: 0, rateCenter: 0, areaCode: 0, notPlaced: 0 };
  for (const c of Object.values(stats.byState)) {
    total.exchanges += c.exchanges;
    total.rateCenter += c.rateCenter;
    total.areaCode += c.areaCode;
    total.notPlaced += c.notPlaced;
  }
  return total;
}

const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(2)}%`;

export function printExchangeReport(stats: ExchangeStats): void {
  const t = exchangeTotals(stats);
  console.log('\nexchanges.json');
  console.log(`  NANPA files: central office codes ${stats.coFileDate}, area codes ${stats.npaFileDate}`);
  console.log(`  assigned exchanges in US states and territories: ${t.exchanges}`);
  console.log(`    at rate-center level ${t.rateCenter} (${pct(t.rateCenter, t.exchanges)}),`);
  console.log(`    at area-code level ${t.areaCode} (${pct(t.areaCode, t.exchanges)}), not placed ${t.notPlaced}`);
  const states = Object.entries(stats.byState).sort((a, b) => cmp(a[0], b[0]));
  for (const [st, c] of states) console.log(`    ${st} ${c.exchanges}: ${c.rateCenter} / ${c.areaCode} / ${c.notPlaced}`);
  const by = Object.entries(stats.rateCentersBy).map(([how, n]) => `${how} ${n}`).join(', ');
  console.log(`  rate centers: ${stats.rateCenters} (${by}); not located ${stats.unlocated.length}`);
  console.log(`  line types: ${JSON.stringify(stats.lineTypes)}`);
  console.log(`  area codes in service: ${stats.areaCodes}; without exchanges: ${stats.areaCodesWithoutExchanges.join(', ')}`);
  console.log(`  state disagreements with libphonenumber (NANPA kept): ${stats.stateDisagreements.join('; ')}`);
}
