// The exchange geography (data/exchanges.json): every US area code in service and every assigned
// exchange (NPA-NXX), from NANPA's reports, each exchange at its rate center.
import { CORE_STATES, isRoutedState } from '../core/stateNames.js';
import type { LineType } from '../core/types.js';
import type { CityIndex } from './cityNames.js';
import { lineTypeOf } from './lineTypes.js';
import type { AreaCodeReport, CoCodeReport } from './nanpaReports.js';
import { locateRateCenters, type LocateSources, type LocatedHow } from './rateCenters.js';

export const LINE_TYPE_LETTER: Record<LineType, string> = { wireless: 'w', wireline: 'l', unknown: 'u' };

/** The file's three tables, row for row. */
export interface ExchangeTable {
  source: { coCodes: string; areaCodes: string };
  /** npa, state, lat, lon (the state's centroid). */
  areaCodes: [string, string, number, number][];
  /** state, NANPA's rate center, readable name, lat, lon (null where nothing located it). */
  rateCenters: [string, string, string, number | null, number | null][];
  /** NPA-NXX, row in rateCenters, line type letter. */
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
  notInService: number;
  byState: Record<string, StateCount>;
  rateCenters: number;
  rateCentersBy: Record<LocatedHow, number>;
  unlocated: [string, number][];
  lineTypes: Record<LineType, number>;
  areaCodes: number;
  areaCodesWithoutExchanges: string[];
}

/** A geography that fails a sanity check: the service keeps the one it has. */
export class GeographyRefused extends Error {
  constructor(readonly reasons: string[]) {
    super(`the geography fails its checks: ${reasons.join('; ')}`);
  }
}

/** Below this share of exchanges at rate-center level, a file is more likely broken than real. */
const MIN_RATE_CENTER_SHARE = 0.95;

/**
 * Join NANPA's exchanges with where their rate centers are. An exchange whose rate center nothing
 * locates keeps NANPA's state and is placed at area-code level. Throws GeographyRefused when the
 * result fails the checks the service relies on.
 */
export function buildExchangeTable(
  co: CoCodeReport,
  npa: AreaCodeReport,
  sources: LocateSources & { cities: CityIndex },
): { table: ExchangeTable; stats: ExchangeStats } {
  const areaCodes = npa.codes.filter((a) => a.inService && a.geographic && isRoutedState(a.state));
  const inService = new Set(areaCodes.map((a) => a.npa));
  const codes = co.codes.filter((c) => isRoutedState(c.state) && inService.has(c.exchange.slice(0, 3)));

  const byRateCenter = new Map<string, string[]>();
  for (const c of codes) {
    const key = `${c.state}|${c.rateCenter}`;
    const list = byRateCenter.get(key) ?? [];
    list.push(c.exchange);
    byRateCenter.set(key, list);
  }
  const report = locateRateCenters(byRateCenter, sources);

  const rcKeys = [...byRateCenter.keys()].sort();
  const rcIndex = new Map(rcKeys.map((k, i) => [k, i]));
  const rateCenters = rcKeys.map((key): ExchangeTable['rateCenters'][number] => {
    const [state, rateCenter] = key.split('|') as [string, string];
    const at = report.located.get(key);
    return at ? [state, rateCenter, at.name, round4(at.lat), round4(at.lon)] : [state, rateCenter, '', null, null];
  });

  const byState: Record<string, StateCount> = {};
  const count = (state: string) => (byState[state] ??= { exchanges: 0, rateCenter: 0, areaCode: 0, notPlaced: 0 });
  const lineTypes: Record<LineType, number> = { wireless: 0, wireline: 0, unknown: 0 };
  const exchanges = [...codes]
    .sort((a, b) => (a.exchange < b.exchange ? -1 : 1))
    .map((c): ExchangeTable['exchanges'][number] => {
      const key = `${c.state}|${c.rateCenter}`;
      const n = count(c.state);
      n.exchanges++;
      if (report.located.has(key)) n.rateCenter++;
      else n.areaCode++;
      const lineType = lineTypeOf(c.company);
      lineTypes[lineType]++;
      return [Number(c.exchange), rcIndex.get(key)!, LINE_TYPE_LETTER[lineType]];
    });
  for (const c of co.codes) {
    if (!isRoutedState(c.state) || inService.has(c.exchange.slice(0, 3))) continue;
    count(c.state).exchanges++;
    count(c.state).notPlaced++;
  }

  const withExchanges = new Set(codes.map((c) => c.exchange.slice(0, 3)));
  const table: ExchangeTable = {
    source: { coCodes: co.fileDate, areaCodes: npa.fileDate },
    areaCodes: areaCodes
      .map((a): ExchangeTable['areaCodes'][number] => {
        const c = sources.cities.stateCentroid(a.state);
        return [a.npa, a.state, round4(c.lat), round4(c.lon)];
      })
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    rateCenters,
    exchanges,
  };
  const reasons = checkExchangeTable(table);
  if (reasons.length > 0) throw new GeographyRefused(reasons);
  return {
    table,
    stats: {
      coFileDate: co.fileDate,
      npaFileDate: npa.fileDate,
      notInService: codes.filter((c) => !c.inService).length,
      byState,
      rateCenters: rcKeys.length,
      rateCentersBy: report.byHow,
      unlocated: report.unlocated,
      lineTypes,
      areaCodes: areaCodes.length,
      areaCodesWithoutExchanges: areaCodes.filter((a) => !withExchanges.has(a.npa)).map((a) => `${a.npa} ${a.state}`),
    },
  };
}

function round4(x: number): number {
  const r = Math.round(x * 1e4) / 1e4;
  return Object.is(r, -0) ? 0 : r;
}

/** What the service relies on; a file that breaks one is more likely damaged than a new reality. */
export function checkExchangeTable(table: ExchangeTable): string[] {
  const reasons: string[] = [];
  const expect = (cond: boolean, what: string) => {
    if (!cond) reasons.push(what);
  };
  const npa = new Map(table.areaCodes.map((a) => [a[0], a[1]]));
  expect(npa.get('212') === 'NY', 'area code 212 must be New York');
  expect(npa.get('787') === 'PR' && npa.get('939') === 'PR', 'area codes 787 and 939 must be Puerto Rico');
  const statesWithExchanges = new Set(table.exchanges.map((e) => table.rateCenters[e[1]]?.[0]));
  for (const st of CORE_STATES) {
    expect([...npa.values()].includes(st), `${st} must have an area code in service`);
    expect(statesWithExchanges.has(st), `${st} must have assigned exchanges`);
  }
  const located = table.exchanges.filter((e) => table.rateCenters[e[1]]?.[3] !== null).length;
  const share = table.exchanges.length === 0 ? 0 : located / table.exchanges.length;
  const minimum = `${MIN_RATE_CENTER_SHARE * 100}%`;
  expect(
    share >= MIN_RATE_CENTER_SHARE,
    `at least ${minimum} of exchanges must be placed at their rate center, not ${(share * 100).toFixed(1)}%`,
  );
  return reasons;
}

const rowsJson = (rows: readonly unknown[][]): string => rows.map((r) => JSON.stringify(r)).join(',\n');

/** One JSON document, one row per line, so a rebuild's diff shows which exchanges moved. */
export function exchangeTableJson(table: ExchangeTable): string {
  return (
    `{"source":${JSON.stringify(table.source)},\n` +
    `"areaCodes":{"columns":["npa","state","lat","lon"],"rows":[\n${rowsJson(table.areaCodes)}\n]},\n` +
    '"rateCenters":{"columns":["state","rateCenter","name","lat","lon"],' +
    `"rows":[\n${rowsJson(table.rateCenters)}\n]},\n` +
    `"exchanges":{"columns":["exchange","rateCenter","lineType"],"rows":[\n${rowsJson(table.exchanges)}\n]}}\n`
  );
}

export function exchangeTotals(stats: Pick<ExchangeStats, 'byState'>): StateCount {
  const total: StateCount = { exchanges: 0, rateCenter: 0, areaCode: 0, notPlaced: 0 };
  for (const c of Object.values(stats.byState)) {
    total.exchanges += c.exchanges;
    total.rateCenter += c.rateCenter;
    total.areaCode += c.areaCode;
    total.notPlaced += c.notPlaced;
  }
  return total;
}
