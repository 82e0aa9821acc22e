import type { PrefixPlace, ZipPlace } from './inputs.js';
import { FIRST_EXCHANGE, type PolicyName, type RoutingTable } from './types.js';

/** The places a table was compiled over that coverage counts: zips with their points, and phone prefixes. */
export type CoverageGeography = {
  zips: readonly Pick<ZipPlace, 'zip' | 'lat' | 'lon' | 'state'>[];
  prefixes: readonly Pick<PrefixPlace, 'prefix' | 'state'>[];
};

/** Distance from a zip to its first center, in km (exact to the tenth, as answers print it); null without zips. */
export type DistanceSummary = { p50: number | null; p90: number | null; max: number | null };

export type StateCoverage = {
  /** The state's code, or "all" for the whole table. */
  state: string;
  zips: number;
  zipsInStateFirst: number;
  /** zipsInStateFirst / zips, to three decimals; null without zips. */
  zipsInStateShare: number | null;
  exchanges: number;
  exchangesInStateFirst: number;
  exchangesInStateShare: number | null;
  firstKm: DistanceSummary;
  /** Zips with no center at all within FAR_KM: callers there are far from any help. */
  zipsBeyondFarKm: number;
};

export type CoverageCenter = {
  id: string;
  state: string;
  lat: number;
  lon: number;
  /** How many zips and exchanges rank this center first. */
  firstForZips: number;
  firstForExchanges: number;
};

/**
 * The zips by grid cell, for a map (42k dots are more than a page should draw), as columns: cell i
 * is entry i of each. lat/lon: the cell's middle; center: the center most of its zips rank first, as
 * an index into Coverage.centers (-1 for none); maxKm: its zips' largest distance to their first center.
 */
export type CoverageCells = {
  lat: number[];
  lon: number[];
  zips: number[];
  center: number[];
  maxKm: (number | null)[];
};

export type Coverage = {
  version: string;
  policy: PolicyName;
  farKm: number;
  cellDegrees: number;
  overall: StateCoverage;
  states: StateCoverage[];
  /** Ids of centers no place (zip, zip area or prefix) ranks first: they only ever take overflow. */
  firstForNobody: string[];
  centers: CoverageCenter[];
  cells: CoverageCells;
};

export const FAR_KM = 100;
export const CELL_DEGREES = 0.25;

type Tally = {
  zips: number;
  zipsInState: number;
  exchanges: number;
  exchangesInState: number;
  tenths: number[];
  far: number;
};
const tally = (): Tally => ({ zips: 0, zipsInState: 0, exchanges: 0, exchangesInState: 0, tenths: [], far: 0 });

/**
 * What a compiled table does to coverage, per state and overall: where each place's first center
 * is (in-state or not, how far), which zips have no center near, and which centers lead nowhere.
 */
export function computeCoverage(table: RoutingTable, geography: CoverageGeography): Coverage {
  const { placements, rankedCenters, rankedTenthsKm, centers } = table;
  const first = (p: number) => (p >= 0 && placements.length[p]! > 0 ? placements.start[p]! : -1);
  const byState = new Map<string, Tally>();
  const stateTally = (state: string) => byState.get(state) ?? byState.set(state, tally()).get(state)!;
  const all = tally();
  const firstForZips = new Uint32Array(centers.length);
  const firstForExchanges = new Uint32Array(centers.length);
  const cells = new Map<number, { lat: number; lon: number; zips: number; firsts: Map<number, number>; max: number }>();

  for (const z of geography.zips) {
    const at = first(table.zipPlacement[Number(z.zip)] ?? -1);
    const s = stateTally(z.state);
    const center = at >= 0 ? rankedCenters[at]! : -1;
    const tenths = at >= 0 ? rankedTenthsKm[at]! : -1;
    const inState = center >= 0 && centers[center]!.state === z.state;
    const far = nearestTenths(table, table.zipPlacement[Number(z.zip)] ?? -1) > FAR_KM * 10;
    for (const t of [s, all]) {
      t.zips++;
      if (inState) t.zipsInState++;
      if (tenths >= 0) t.tenths.push(tenths);
      if (far) t.far++;
    }
    if (center >= 0) firstForZips[center]!++;
    const row = Math.floor(z.lat / CELL_DEGREES);
    const col = Math.floor(z.lon / CELL_DEGREES);
    const key = row * 10_000 + col;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { lat: row, lon: col, zips: 0, firsts: new Map(), max: -1 }));
    cell.zips++;
    cell.firsts.set(center, (cell.firsts.get(center) ?? 0) + 1);
    cell.max = Math.max(cell.max, tenths);
  }

  for (const p of geography.prefixes) {
    if (p.prefix.length !== 6) continue;
    const at = first(table.prefixPlacement.exchanges[Number(p.prefix) - FIRST_EXCHANGE] ?? -1);
    const center = at >= 0 ? rankedCenters[at]! : -1;
    const inState = center >= 0 && centers[center]!.state === p.state;
    for (const t of [stateTally(p.state), all]) {
      t.exchanges++;
      if (inState) t.exchangesInState++;
    }
    if (center >= 0) firstForExchanges[center]!++;
  }

  // Every placement is some place's: zips, zip areas, exchanges, area codes and service prefixes alike.
  const leads = new Uint8Array(centers.length);
  for (let p = 0; p < placements.start.length; p++) {
    const at = first(p);
    if (at >= 0) leads[rankedCenters[at]!] = 1;
  }

  return {
    version: table.version,
    policy: table.policy.name,
    farKm: FAR_KM,
    cellDegrees: CELL_DEGREES,
    overall: summary('all', all),
    states: [...byState].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([state, t]) => summary(state, t)),
    firstForNobody: centers.filter((c) => leads[c.index] === 0).map((c) => c.id),
    centers: centers.map((c) => ({
      id: c.id,
      state: c.state ?? '',
      lat: c.lat ?? 0,
      lon: c.lon ?? 0,
      firstForZips: firstForZips[c.index]!,
      firstForExchanges: firstForExchanges[c.index]!,
    })),
    cells: cellColumns([...cells.values()]),
  };
}

function cellColumns(
  list: readonly { lat: number; lon: number; zips: number; firsts: ReadonlyMap<number, number>; max: number }[],
): CoverageCells {
  return {
    lat: list.map((c) => round((c.lat + 0.5) * CELL_DEGREES, 3)),
    lon: list.map((c) => round((c.lon + 0.5) * CELL_DEGREES, 3)),
    zips: list.map((c) => c.zips),
    center: list.map((c) => mostCommon(c.firsts)),
    maxKm: list.map((c) => (c.max >= 0 ? c.max / 10 : null)),
  };
}

/**
 * The distance in tenths of a km to the nearest center of a placement's ranking, Infinity without one.
 * Every ranking holds the nearest center there is: the nearest in-state and the nearest others (state
 * first), or simply the nearest (nearest policy).
 */
function nearestTenths(table: RoutingTable, p: number): number {
  if (p < 0) return Infinity;
  let nearest = Infinity;
  const start = table.placements.start[p]!;
  for (let i = start; i < start + table.placements.length[p]!; i++)
    nearest = Math.min(nearest, table.rankedTenthsKm[i]!);
  return nearest;
}

function summary(state: string, t: Tally): StateCoverage {
  const tenths = Uint32Array.from(t.tenths).sort();
  const km = (q: number) => (tenths.length === 0 ? null : tenths[Math.ceil(q * tenths.length) - 1]! / 10);
  return {
    state,
    zips: t.zips,
    zipsInStateFirst: t.zipsInState,
    zipsInStateShare: t.zips === 0 ? null : round(t.zipsInState / t.zips, 3),
    exchanges: t.exchanges,
    exchangesInStateFirst: t.exchangesInState,
    exchangesInStateShare: t.exchanges === 0 ? null : round(t.exchangesInState / t.exchanges, 3),
    // Nearest rank: each figure is some zip's own distance.
    firstKm: { p50: km(0.5), p90: km(0.9), max: km(1) },
    zipsBeyondFarKm: t.far,
  };
}

/** The key counted most often; ties go to the smaller key, so the answer does not depend on order. */
function mostCommon(counts: ReadonlyMap<number, number>): number {
  let best = -1;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && key < best)) [best, bestCount] = [key, count];
  }
  return best;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
