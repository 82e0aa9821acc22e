import KDBush from 'kdbush';
import type { Geography } from '../dataset/geography.js';
import type { Dataset } from '../dataset/validateDataset.js';
import type { Affiliate } from '../dataset/affiliate.js';
import { parseHours } from './hours.js';
import { distanceKm, rankCenters, type CenterPoint, type RankingContext } from './rankCenters.js';
import { prefixKey, type Center, type Placement, type RoutingPolicy, type RoutingTable } from './types.js';

/**
 * Compile a validated dataset over the static geography into routing tables: every zip, every
 * zip3 and every phone prefix gets its ranked candidate list now, so a query is lookups only.
 */
export function compileRoutingTable(geography: Geography, dataset: Dataset, policy: RoutingPolicy, version: string): RoutingTable {
  const steps = compileRoutingTableInSteps(geography, dataset, policy, version);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How many places are ranked between two points where the caller may pause the compile. */
const PLACES_PER_STEP = 250;

/**
 * The same compile as a generator that pauses every PLACES_PER_STEP places, so a server can
 * compile a reload in slices between requests instead of stalling them for half a second.
 */
export function* compileRoutingTableInSteps(geography: Geography, dataset: Dataset, policy: RoutingPolicy, version: string): Generator<void, RoutingTable, void> {
  const centers = dataset.affiliates.map((a, index) => toCenter(a, index));
  const idToIndex = new Map(centers.map((c) => [c.id, c.index]));
  for (const [i, a] of dataset.affiliates.entries()) centers[i]!.backupIndex = a.backupId ? (idToIndex.get(a.backupId) ?? -1) : -1;
  const national = toCenter(dataset.national, -1);

  const points: CenterPoint[] = centers.map((c) => ({ lat: c.lat!, lon: c.lon!, state: c.state!, backupIndex: c.backupIndex }));
  // Small leaves: with only a few hundred centers, the default (64) would make every search a full scan.
  const index = new KDBush(points.length || 1, 8);
  for (const p of points) index.add(p.lon, p.lat);
  index.finish();
  const ctx: RankingContext = { policy, points, index, centersByState: groupIndices(centers, (c) => [c.state!]) };

  const byServiceState = groupIndices(centers, (c) => c.serviceStates);
  const byServiceZip = groupIndices(centers, (c) => c.serviceZips);
  const byServicePrefix = groupIndices(centers, (c) => c.servicePrefixes);

  // Many prefixes share a place (every 212 exchange is "New York, NY"): rank each distinct place once.
  const placements: Placement[] = [];
  const placementByKey = new Map<string, Map<number, number>>();
  const rankedCenters: number[] = [];
  const rankedTenthsKm: number[] = [];
  const place = (lat: number, lon: number, state: string, precision: Placement['precision'], serviceMatches: readonly number[]) => {
    // Keyed in two levels so the hot compile loop builds no number-to-string keys.
    const groupKey = serviceMatches.length === 0 ? state + precision : `${state}${precision}${serviceMatches.join(' ')}`;
    const pointKey = Math.round((lat + 90) * 1e5) * 4e7 + Math.round((lon + 180) * 1e5);
    let group = placementByKey.get(groupKey);
    if (!group) placementByKey.set(groupKey, (group = new Map()));
    const known = group.get(pointKey);
    if (known !== undefined) return known;
    const ranked = rankCenters(ctx, lat, lon, state, serviceMatches);
    placements.push({ state, precision, start: rankedCenters.length, length: ranked.length });
    for (const id of ranked) {
      rankedCenters.push(id);
      rankedTenthsKm.push(Math.round(distanceKm(points[id]!, lat, lon) * 10));
    }
    group.set(pointKey, placements.length - 1);
    return placements.length - 1;
  };

  const zipPlacement = new Int32Array(100_000).fill(-1);
  const zipPoints = new KDBush(geography.zips.length || 1);
  const zipPointPlacement = new Int32Array(geography.zips.length);
  for (const [i, z] of geography.zips.entries()) {
    const matches = concatMatches(byServiceZip.get(z.zip), byServiceState.get(z.state));
    const p = place(z.lat, z.lon, z.state, 'city', matches);
    zipPlacement[Number(z.zip)] = p;
    zipPoints.add(z.lon, z.lat);
    zipPointPlacement[i] = p;
    if (i % PLACES_PER_STEP === PLACES_PER_STEP - 1) yield;
  }
  zipPoints.finish();

  const zip3Placement = new Int32Array(1000).fill(-1);
  for (const area of zip3Areas(geography)) {
    zip3Placement[area.zip3] = place(area.lat, area.lon, area.state, 'city', byServiceState.get(area.state) ?? NONE);
  }

  const prefixPlacement = new Map<number, number>();
  for (const [i, entry] of prefixEntries(geography, centers).entries()) {
    if (i % PLACES_PER_STEP === PLACES_PER_STEP - 1) yield;
    let matches = byServiceState.get(entry.state) ?? NONE;
    if (byServicePrefix.size > 0) {
      for (let len = 3; len <= entry.prefix.length; len++) matches = concatMatches(matches, byServicePrefix.get(entry.prefix.slice(0, len)));
    }
    const p = place(entry.lat, entry.lon, entry.state, entry.precision, matches);
    prefixPlacement.set(prefixKey(entry.prefix.length, Number(entry.prefix)), p);
  }

  return {
    version,
    sample: dataset.sample,
    policy,
    centers,
    national,
    placements,
    rankedCenters: Uint16Array.from(rankedCenters),
    rankedTenthsKm: Uint32Array.from(rankedTenthsKm),
    zipPlacement,
    zip3Placement,
    prefixPlacement,
    zipPoints,
    zipPointPlacement,
    locationMemo: new Map(),
    openMemo: { minute: NaN, centers: new Uint8Array(0), national: false }, // no minute yet: the first route call fills it
    stats: { zips: geography.zips.length, zip3s: zip3Placement.filter((p) => p >= 0).length, prefixes: prefixPlacement.size, centers: centers.length },
  };
}

const NONE: readonly number[] = [];

function concatMatches(a: readonly number[] | undefined, b: readonly number[] | undefined): readonly number[] {
  if (!b || b.length === 0) return a ?? NONE;
  if (!a || a.length === 0) return b;
  return [...a, ...b];
}

type CompiledCenter = Center & { serviceStates: string[]; serviceZips: string[]; servicePrefixes: string[] };

function toCenter(a: Affiliate, index: number): CompiledCenter {
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
    serviceStates: a.serviceStates,
    serviceZips: a.serviceZips,
    servicePrefixes: a.servicePrefixes,
  };
}

function groupIndices<T extends { index: number }>(items: readonly T[], keys: (item: T) => readonly string[]): Map<string, number[]> {
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

/** Each 3-digit zip area: the centroid of its zips, in the state most of them are in. */
function zip3Areas(geography: Geography) {
  const areas = new Map<number, { lat: number; lon: number; n: number; states: Map<string, number> }>();
  for (const z of geography.zips) {
    const key = Math.floor(Number(z.zip) / 100);
    const a = areas.get(key) ?? { lat: 0, lon: 0, n: 0, states: new Map<string, number>() };
    a.lat += z.lat;
    a.lon += z.lon;
    a.n++;
    a.states.set(z.state, (a.states.get(z.state) ?? 0) + 1);
    areas.set(key, a);
  }
  return [...areas].map(([zip3, a]) => ({
    zip3,
    lat: a.lat / a.n,
    lon: a.lon / a.n,
    state: [...a.states].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]![0],
  }));
}

/**
 * The geography's prefixes plus any prefix a center's service area names that the geography lacks
 * (e.g. a thousands block), placed where its longest known ancestor is, so longest-prefix matching finds it.
 */
function prefixEntries(geography: Geography, centers: readonly CompiledCenter[]) {
  const known = new Map(geography.prefixes.map((p) => [p.prefix, p]));
  for (const prefix of new Set(centers.flatMap((c) => c.servicePrefixes))) {
    if (known.has(prefix)) continue;
    for (let len = prefix.length - 1; len >= 3; len--) {
      const ancestor = known.get(prefix.slice(0, len));
      if (ancestor) {
        // Named by a center, so the caller is placed as precisely as the center asked: no zip prompt.
        known.set(prefix, { ...ancestor, prefix, precision: 'city' });
        break;
      }
    }
  }
  return [...known.values()];
}
