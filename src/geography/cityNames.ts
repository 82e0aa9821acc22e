// Abbreviations found in libphonenumber's rate-centre names (and a few in zipcodes). Applied to both
// sides, so an expansion can never break a match that worked before.
const CITY_WORD_ALIASES: Record<string, string> = {
  st: 'saint',
  ste: 'sainte',
  ft: 'fort',
  mt: 'mount',
  pt: 'point',
  hts: 'heights',
  spgs: 'springs',
  bch: 'beach',
  vly: 'valley',
  fls: 'falls',
  jct: 'junction',
  mls: 'mills',
  ct: 'court',
  hse: 'house',
  hs: 'house',
  isle: 'island',
  internatl: 'international',
  slphr: 'sulphur',
  marblhd: 'marblehead',
  cnsqncs: 'consequences',
  jn: 'juan',
  miss: 'mississippi',
  twp: 'township',
  the: '',
};

/**
 * Matching key for city names coming from different sources:
 * libphonenumber writes "St. Louis", "Winston-Salem", "McAllen";
 * zipcodes writes "Saint Louis", "Winston Salem", "Mcallen".
 */
export function cityKey(name: string): string {
  // Most names are ASCII already, and normalising is the costly step.
  const ascii = (/[^ -~]/.test(name) ? name.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : name).toLowerCase();
  return ascii
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => CITY_WORD_ALIASES[w] ?? w)
    .join('');
}

/** A city and where it is: the mean of its zips' points. */
export type CityPoint = { state: string; city: string; lat: number; lon: number };

/** What locating rate centers needs of the zip table. */
export interface CityIndex {
  city(state: string, name: string): CityPoint | undefined;
  /** A state's cities, the biggest first. */
  citiesOf(state: string): readonly CityPoint[];
  stateCentroid(state: string): { lat: number; lon: number };
}

/** A CityIndex over zip places (the service's own zip table): cities ranked by how many zips they have. */
export function cityIndexOf(zips: readonly { state: string; city: string; lat: number; lon: number }[]): CityIndex {
  const cities = new Map<string, CityPoint & { n: number }>();
  const states = new Map<string, { lat: number; lon: number; n: number }>();
  for (const z of zips) {
    const s = states.get(z.state) ?? { lat: 0, lon: 0, n: 0 };
    s.lat += z.lat;
    s.lon += z.lon;
    s.n++;
    states.set(z.state, s);
    if (!z.city) continue;
    const key = `${z.state}|${cityKey(z.city)}`;
    const c = cities.get(key) ?? { state: z.state, city: z.city, lat: 0, lon: 0, n: 0 };
    c.lat += z.lat;
    c.lon += z.lon;
    c.n++;
    cities.set(key, c);
  }
  const byState = new Map<string, CityPoint[]>();
  const ranked = [...cities.values()].sort((a, b) => b.n - a.n || (a.city < b.city ? -1 : 1));
  for (const c of ranked) {
    const point = { state: c.state, city: c.city, lat: c.lat / c.n, lon: c.lon / c.n };
    cities.set(`${c.state}|${cityKey(c.city)}`, { ...point, n: c.n });
    const list = byState.get(c.state) ?? [];
    list.push(point);
    byState.set(c.state, list);
  }
  return {
    city: (state, name) => cities.get(`${state}|${cityKey(name)}`),
    citiesOf: (state) => byState.get(state) ?? [],
    stateCentroid: (state) => {
      const s = states.get(state);
      if (!s) throw new Error(`no zips for state ${state}`);
      return { lat: s.lat / s.n, lon: s.lon / s.n };
    },
  };
}
