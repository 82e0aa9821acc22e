import type { CenterInput, Geography, PrefixPlace } from './inputs.js';
import { stateName } from './stateNames.js';

// The places a table ranks centers for, besides the geography's own zips: zip3 areas and named prefixes.

/** Each 3-digit zip area: the centroid of its zips, in the state most of them are in. */
export function zip3Areas(geography: Geography) {
  type Area = { lat: number; lon: number; n: number; states: Map<string, number>; cities: Map<string, number> };
  const areas = new Map<number, Area>();
  const count = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);
  const mostCommon = (m: Map<string, number>) => [...m].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0];
  for (const z of geography.zips) {
    const key = Math.floor(Number(z.zip) / 100);
    const a = areas.get(key) ?? { lat: 0, lon: 0, n: 0, states: new Map(), cities: new Map() };
    a.lat += z.lat;
    a.lon += z.lon;
    a.n++;
    count(a.states, z.state);
    if (z.city) count(a.cities, z.city);
    areas.set(key, a);
  }
  return [...areas].map(([zip3, a]) => {
    const state = mostCommon(a.states)!;
    // Named by its most common city: usually the sectional center's own.
    return { zip3, lat: a.lat / a.n, lon: a.lon / a.n, state, name: mostCommon(a.cities) ?? stateName(state) };
  });
}

/**
 * The geography's prefixes plus any prefix a center's service area names that the geography lacks
 * (e.g. a thousands block), placed where its longest known ancestor is, so longest-prefix matching finds it.
 */
export function prefixEntries(
  geography: Geography,
  centers: readonly Pick<CenterInput, 'servicePrefixes'>[],
): (PrefixPlace & { namedByCenter?: true })[] {
  const named = new Set(centers.flatMap((c) => c.servicePrefixes));
  if (named.size === 0) return geography.prefixes;
  // Only the named prefixes and their ancestors are looked up: no map of the whole geography.
  const wanted = new Set<string>();
  for (const prefix of named) for (let len = 3; len <= prefix.length; len++) wanted.add(prefix.slice(0, len));
  const known = new Map<string, PrefixPlace>();
  for (const p of geography.prefixes) if (wanted.has(p.prefix)) known.set(p.prefix, p);
  const extra: (PrefixPlace & { namedByCenter: true })[] = [];
  for (const prefix of named) {
    if (known.has(prefix)) continue;
    for (let len = prefix.length - 1; len >= 3; len--) {
      const ancestor = known.get(prefix.slice(0, len));
      if (ancestor) {
        // Named by a center, so the caller is placed as precisely as the center asked: no zip prompt.
        extra.push({ ...ancestor, prefix, namedByCenter: true });
        break;
      }
    }
  }
  return extra.length === 0 ? geography.prefixes : [...geography.prefixes, ...extra];
}
