import KDBush from 'kdbush';
import { around } from 'geokdbush';
import type { CenterInput, CentersInput, Geography } from './inputs.js';
import { prefixEntries, zip3Areas } from './geographyPlaces.js';
import { stateName } from './stateNames.js';
import { parseHours } from './hours.js';
import { textTable } from './textTable.js';
import { distanceKm, rankCenters, type CenterPoint, type RankingContext } from './rankCenters.js';
import {
  emptyPrefixPlacements,
  LINE_TYPES,
  PRECISIONS,
  prefixKey,
  setPrefixPlacement,
  type Center,
  type LineType,
  type Place,
  type Placements,
  type RoutingPolicy,
  type RoutingTable,
} from './types.js';

/** A placement while compiling: the table holds them as columns (Placements). */
type Placement = { place: Place; lineType: LineType | null; areaCodeOnly: boolean; start: number; length: number };

/**
 * Compile a validated dataset over the static geography into routing tables: every zip, every
 * zip3 and every phone prefix gets its ranked candidate list now, so a query is lookups only.
 */
export function compileRoutingTable(
  geography: Geography,
  dataset: CentersInput,
  policy: RoutingPolicy,
  version: string,
): RoutingTable {
  const centers = dataset.affiliates.map((a, index) => toCenter(a, index));
  const idToIndex = new Map(centers.map((c) => [c.id, c.index]));
  for (const [i, a] of dataset.affiliates.entries())
    centers[i]!.backupIndex = a.backupId ? (idToIndex.get(a.backupId) ?? -1) : -1;
  const national = toCenter(dataset.national, -1);

  const points: CenterPoint[] = centers.map((c) => ({
    lat: c.lat!,
    lon: c.lon!,
    state: c.state!,
    backupIndex: c.backupIndex,
  }));
  // Small leaves: with only a few hundred centers, the default (64) would make every search a full scan.
  const index = new KDBush(points.length || 1, 8);
  for (const p of points) index.add(p.lon, p.lat);
  index.finish();
  const ctx: RankingContext = { policy, points, index, centersByState: groupIndices(centers, (c) => [c.state!]) };

  const byServiceState = groupIndices(centers, (c) => c.serviceStates);
  const byServiceZip = groupIndices(centers, (c) => c.serviceZips);
  const byServicePrefix = groupIndices(centers, (c) => c.servicePrefixes);
  const byServiceCounty = groupIndices(centers, (c) => c.serviceCounties ?? NO_COUNTIES);

  // Many prefixes share a point (every 212 exchange is in New York): rank each distinct point once
  // (a ranking), and make one placement per distinct place name and line type over it.
  const placements: Placement[] = [];
  const rankingByKey = new Map<string, Map<number, number>>();
  const rankings: { start: number; length: number; firstPlacement: number }[] = [];
  /** The next placement over the same ranking, by placement: a handful each, so a scan beats string keys. */
  const nextPlacement: number[] = [];
  const rankedCenters: number[] = [];
  const rankedTenthsKm: number[] = [];
  const rank = (lat: number, lon: number, state: string, serviceMatches: readonly number[]): number => {
    // Keyed in two levels so the hot compile loop builds no number-to-string keys.
    const groupKey = serviceMatches.length === 0 ? state : `${state}${serviceMatches.join(' ')}`;
    const pointKey = Math.round((lat + 90) * 1e5) * 4e7 + Math.round((lon + 180) * 1e5);
    let group = rankingByKey.get(groupKey);
    if (!group) rankingByKey.set(groupKey, (group = new Map()));
    const known = group.get(pointKey);
    if (known !== undefined) return known;
    const start = rankedCenters.length;
    for (const id of rankCenters(ctx, lat, lon, state, serviceMatches)) {
      rankedCenters.push(id);
      rankedTenthsKm.push(Math.round(distanceKm(points[id]!, lat, lon) * 10));
    }
    rankings.push({ start, length: rankedCenters.length - start, firstPlacement: -1 });
    group.set(pointKey, rankings.length - 1);
    return rankings.length - 1;
  };
  const place = (
    at: { lat: number; lon: number; state: string },
    name: string,
    precision: Place['precision'],
    lineType: LineType | null,
    areaCodeOnly: boolean,
    serviceMatches: readonly number[],
  ): number => {
    const ranking = rankings[rank(at.lat, at.lon, at.state, serviceMatches)]!;
    for (let i = ranking.firstPlacement; i !== -1; i = nextPlacement[i]!) {
      const p = placements[i]!;
      const same = p.place.name === name && p.place.precision === precision && p.place.state === at.state;
      if (same && p.lineType === lineType && p.areaCodeOnly === areaCodeOnly) return i;
    }
    const where: Place = { state: at.state, name, precision };
    placements.push({ place: where, lineType, areaCodeOnly, start: ranking.start, length: ranking.length });
    nextPlacement.push(ranking.firstPlacement);
    ranking.firstPlacement = placements.length - 1;
    return placements.length - 1;
  };

  const zipPlacement = new Int32Array(100_000).fill(-1);
  const zipPoints = new KDBush(geography.zips.length || 1);
  const zipPointPlacement = new Int32Array(geography.zips.length);
  for (let i = 0; i < geography.zips.length; i++) {
    const z = geography.zips[i]!;
    let matches = concatMatches(byServiceZip.get(z.zip), byServiceState.get(z.state));
    if (z.county) matches = concatMatches(matches, byServiceCounty.get(z.county));
    const p = place(z, z.city || stateName(z.state), 'zip', null, false, matches);
    zipPlacement[Number(z.zip)] = p;
    zipPoints.add(z.lon, z.lat);
    zipPointPlacement[i] = p;
  }
  zipPoints.finish();

  const zip3Placement = new Int32Array(1000).fill(-1);
  for (const area of zip3Areas(geography)) {
    zip3Placement[area.zip3] = place(area, area.name, 'zip3', null, false, byServiceState.get(area.state) ?? NONE);
  }

  // Service prefixes by prefixKey, so each place's ancestors are looked up without slicing strings.
  const byServicePrefixKey = new Map(
    [...byServicePrefix].map(([prefix, ids]) => [prefixKey(prefix.length, Number(prefix)), ids]),
  );
  const prefixPlacement = emptyPrefixPlacements();
  const entries = prefixEntries(geography, centers);
  const countyAt = byServiceCounty.size > 0 ? nearestZipCounty(geography, zipPoints) : undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const digits = Number(entry.prefix);
    let matches = byServiceState.get(entry.state) ?? NONE;
    // An exchange is in the county of its rate center's point; an area code alone names no county.
    const county = countyAt && entry.precision === 'exchange' ? countyAt(entry) : undefined;
    if (county) matches = concatMatches(matches, byServiceCounty.get(county));
    const length = entry.prefix.length;
    for (let len = 3; len <= length && byServicePrefixKey.size > 0; len++) {
      matches = concatMatches(
        matches,
        byServicePrefixKey.get(prefixKey(len, Math.floor(digits / 10 ** (length - len)))),
      );
    }
    const areaCodeOnly = entry.precision === 'areaCode' && entry.namedByCenter !== true;
    const p = place(entry, entry.place, entry.precision, entry.lineType, areaCodeOnly, matches);
    setPrefixPlacement(prefixPlacement, length, digits, p);
  }

  return {
    version,
    sample: dataset.sample,
    policy,
    centers,
    national,
    ...placementColumns(placements),
    rankedCenters: Uint16Array.from(rankedCenters),
    rankedTenthsKm: Uint32Array.from(rankedTenthsKm),
    zipPlacement,
    zip3Placement,
    prefixPlacement,
    zipPoints,
    zipPointPlacement,
    stats: {
      zips: geography.zips.length,
      zip3s: zip3Placement.filter((p) => p >= 0).length,
      prefixes: entries.length,
      centers: centers.length,
    },
  };
}

const NONE: readonly number[] = [];
const NO_COUNTIES: readonly string[] = [];

/**
 * The county of a point: that of the nearest zip in its state (zip points are ZCTA internal
 * points, so the nearest one is almost always inside the same county), looked up once per point.
 */
function nearestZipCounty(
  geography: Geography,
  zipPoints: KDBush,
): (at: { lat: number; lon: number; state: string }) => string | undefined {
  const known = new Map<string, string | undefined>();
  return ({ lat, lon, state }) => {
    const key = `${state}${lat},${lon}`;
    if (known.has(key)) return known.get(key);
    const [nearest] = around(zipPoints, lon, lat, 1, Infinity, (i: number) => geography.zips[i]!.state === state);
    const county = nearest === undefined ? undefined : geography.zips[nearest]!.county;
    known.set(key, county);
    return county;
  };
}

function placementColumns(list: readonly Placement[]): { texts: string[]; placements: Placements } {
  const { texts, indexOf: text } = textTable();
  const n = list.length;
  const placements: Placements = {
    state: new Uint32Array(n),
    name: new Uint32Array(n),
    precision: new Uint8Array(n),
    lineType: new Uint8Array(n),
    areaCodeOnly: new Uint8Array(n),
    start: new Uint32Array(n),
    length: new Uint32Array(n),
  };
  list.forEach((p, i) => {
    placements.state[i] = text(p.place.state);
    placements.name[i] = text(p.place.name);
    placements.precision[i] = PRECISIONS.indexOf(p.place.precision);
    placements.lineType[i] = LINE_TYPES.indexOf(p.lineType);
    placements.areaCodeOnly[i] = p.areaCodeOnly ? 1 : 0;
    placements.start[i] = p.start;
    placements.length[i] = p.length;
  });
  return { texts, placements };
}

function concatMatches(a: readonly number[] | undefined, b: readonly number[] | undefined): readonly number[] {
  if (!b || b.length === 0) return a ?? NONE;
  if (!a || a.length === 0) return b;
  return [...a, ...b];
}

type CompiledCenter = Center &
  Pick<CenterInput, 'serviceStates' | 'serviceZips' | 'servicePrefixes' | 'serviceCounties'>;

function toCenter(a: CenterInput, index: number): CompiledCenter {
  const hours = parseHours(a.hours);
  if (!hours.ok) throw new Error(`center ${a.id}: ${hours.message}`); // validated before; a bug if reached
  return {
    index,
    id: a.id,
    kind: a.kind,
    name: a.name,
    phone: a.phone,
    state: a.state,
    lat: a.lat,
    lon: a.lon,
    timeZone: a.timeZone,
    hours: a.hours,
    schedule: hours.schedule,
    languages: a.languages,
    backupIndex: -1,
    screened: a.screened ?? true,
    serviceStates: a.serviceStates,
    serviceZips: a.serviceZips,
    servicePrefixes: a.servicePrefixes,
    serviceCounties: a.serviceCounties,
  };
}

function groupIndices<T extends { index: number }>(
  items: readonly T[],
  keys: (item: T) => readonly string[],
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const item of items) {
    for (const key of keys(item)) {
      const list = groups.get(key);
      if (list) list.push(item.index);
      else groups.set(key, [item.index]);
    }
  }
  return groups;
}
