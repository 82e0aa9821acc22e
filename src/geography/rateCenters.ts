// Where NANPA's rate centers are. NANPA names them (10-character abbreviations) but gives no coordinates.
import { parse } from 'csv-parse/sync';
import { cityKey, type CityIndex, type CityPoint } from './cityNames.js';

type Point = { lat: number; lon: number };

export type LocatedHow = 'alias' | 'known' | 'libphonenumber' | 'zone' | 'name';

export interface LocatedRateCenter extends Point {
  /** A readable place: the city the rate center serves ("Sacramento", "Lake Buena Vista"). */
  name: string;
  how: LocatedHow;
}

/** What libphonenumber's geocoding (about 2013) says of an exchange: a city, matched to the zip table. */
export interface ExchangeEvidence extends Point {
  state: string;
  /** libphonenumber's own spelling of the city. */
  name: string;
}

/** Reviewed aliases (data/sources/rate-center-aliases.csv): a rate center -> its city and readable name. */
export type AliasTable = Map<string, { city: string; name: string }>;

export function parseAliases(text: string): AliasTable {
  const rows = parse(text, { columns: true, comment: '#', skip_empty_lines: true, trim: true });
  const table: AliasTable = new Map();
  for (const r of rows as Record<string, string>[]) {
    const key = `${r.state}|${r.rateCenter}`;
    if (table.has(key)) throw new Error(`rate-center-aliases.csv: ${key} appears twice`);
    table.set(key, { city: r.city!, name: r.name || r.city! });
  }
  return table;
}

/**
 * Zone and office suffixes that mean "a part of the city named before them": CHICGOZN01, LSAN DA 01,
 * WSNG236Z13, SCRM MAIN, SNFC CNTRL, ASHTON236 (an area-code-numbered split of one exchange area).
 */
const ZONE_SUFFIX = /(?:\s*(?:ZN|ZONE|DA|Z)\s*\d+|\s*\d{3}Z\d+|\d+|\s+(?:MAIN|CNTRL|CENTRAL|DWTN|DT))$/;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Letters only, upper case: "Lake Buena Vista" -> "LAKEBUENAVISTA". */
function letters(s: string): string {
  return cityKey(s)
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

/** Each city's letters, worked out once: a build matches hundreds of rate centers against every city of their state. */
const cityLetters = new WeakMap<CityPoint, string>();

function lettersOf(city: CityPoint): string {
  let found = cityLetters.get(city);
  if (found === undefined) cityLetters.set(city, (found = letters(city.city)));
  return found;
}

function isSubsequence(short: string, long: string): boolean {
  let i = 0;
  for (let j = 0; j < long.length && i < short.length; j++) if (long[j] === short[i]) i++;
  return i === short.length;
}

/**
 * The city a rate center abbreviation most likely stands for: an exact name, a cut at NANPA's
 * 10 characters ("ALBUQUERQU"), or an abbreviation that keeps the first letter and drops at most as
 * many letters as it keeps ("HUNTINGTN"). Among several, the fewest letters dropped, then the biggest city.
 */
export function matchCityName(abbreviation: string, cities: readonly CityPoint[]): CityPoint | undefined {
  const want = letters(abbreviation);
  if (want.length < 3) return undefined;
  let best: { city: CityPoint; score: number } | undefined;
  for (const city of cities) {
    const have = lettersOf(city);
    const dropped = have.length - want.length;
    let score: number;
    if (have === want) score = 0;
    else if (have.startsWith(want)) {
      // A shorter cut is a different, longer place (MOORE is not Mooreland).
      if (want.length < 9) continue;
      score = 1;
    } else if (have[0] === want[0] && want.length >= 4 && dropped <= want.length && isSubsequence(want, have)) {
      score = 2 + dropped;
    } else continue;
    if (!best || score < best.score) best = { city, score };
  }
  return best?.city;
}

/** The family of a numbered zone: "IL|CHICGOZN07" -> "IL|CHICGO"; undefined for a rate center that is no zone. */
function zoneFamily(key: string): string | undefined {
  const family = key.replace(ZONE_SUFFIX, '');
  return family !== key && family.length > 5 ? family : undefined;
}

/** A zone nothing else locates sits with its located sibling zones (LSAN DA 07 with LSAN DA 01..14). */
function siblingZones(key: string, located: ReadonlyMap<string, LocatedRateCenter>): LocatedRateCenter | undefined {
  const family = zoneFamily(key);
  if (!family) return undefined;
  const siblings = [...located].filter(([k]) => zoneFamily(k) === family).map(([, at]) => at);
  if (siblings.length === 0) return undefined;
  const names = new Map<string, number>();
  for (const s of siblings) names.set(s.name, (names.get(s.name) ?? 0) + 1);
  const name = [...names].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]![0];
  const lat = siblings.reduce((sum, s) => sum + s.lat, 0) / siblings.length;
  const lon = siblings.reduce((sum, s) => sum + s.lon, 0) / siblings.length;
  return { lat, lon, name, how: 'zone' };
}

export interface RateCenterReport {
  located: Map<string, LocatedRateCenter>;
  /** "ST|RATECENTER" that nothing located, with how many exchanges they hold. */
  unlocated: [string, number][];
  byHow: Record<LocatedHow, number>;
}

export type LocateSources = {
  aliases: AliasTable;
  cities: CityIndex;
  /** Rate centers located before (a refresh keeps where the geography it replaces put them). */
  known?: ReadonlyMap<string, LocatedRateCenter>;
  /** What libphonenumber says of exchanges (the data build only). */
  evidence?: ReadonlyMap<string, ExchangeEvidence>;
};

/**
 * Locate each rate center (keyed "ST|NAME"): a reviewed alias, where it was located before, the city
 * libphonenumber names for most of its exchanges in the same state, its sibling zones, then its name.
 */
export function locateRateCenters(
  exchangesByRateCenter: Map<string, string[]>,
  sources: LocateSources,
): RateCenterReport {
  const { aliases, cities, known, evidence } = sources;
  const located = new Map<string, LocatedRateCenter>();
  const unlocated: [string, number][] = [];
  const keys = [...exchangesByRateCenter.keys()].sort(cmp);
  // First what names the place itself; then what leans on others (zones, names).
  for (const key of keys) {
    const [state] = key.split('|') as [string, string];
    const alias = aliases.get(key);
    if (alias !== undefined) {
      const city = cities.city(state, alias.city);
      if (!city)
        throw new Error(`rate-center-aliases.csv: ${key} -> "${alias.city}" is not a city of ${state} in zips.json`);
      located.set(key, { lat: city.lat, lon: city.lon, name: alias.name, how: 'alias' });
      continue;
    }
    const before = known?.get(key);
    if (before) {
      located.set(key, { ...before, how: 'known' });
      continue;
    }
    const top = evidence && mostNamed(exchangesByRateCenter.get(key)!, state, evidence);
    if (top) located.set(key, { lat: top.lat, lon: top.lon, name: top.name, how: 'libphonenumber' });
  }
  const named = new Map(located);
  for (const key of keys) {
    if (located.has(key)) continue;
    const [state, rateCenter] = key.split('|') as [string, string];
    let found = siblingZones(key, named);
    if (!found) {
      const list = cities.citiesOf(state);
      const city = matchCityName(rateCenter, list) ?? matchCityName(rateCenter.replace(ZONE_SUFFIX, ''), list);
      if (city) found = { lat: city.lat, lon: city.lon, name: city.city, how: 'name' };
    }
    if (found) located.set(key, found);
    else unlocated.push([key, exchangesByRateCenter.get(key)!.length]);
  }
  const byHow: Record<LocatedHow, number> = { alias: 0, known: 0, libphonenumber: 0, zone: 0, name: 0 };
  for (const at of located.values()) byHow[at.how]++;
  unlocated.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  return { located, unlocated, byHow };
}

/** The city named for most of these exchanges in this state (NANPA wins on the state). */
function mostNamed(exchanges: readonly string[], state: string, evidence: ReadonlyMap<string, ExchangeEvidence>) {
  const votes = new Map<string, { n: number; e: ExchangeEvidence }>();
  for (const exchange of exchanges) {
    const e = evidence.get(exchange);
    if (!e || e.state !== state) continue;
    const v = votes.get(e.name) ?? { n: 0, e };
    v.n++;
    votes.set(e.name, v);
  }
  return [...votes.values()].sort((a, b) => b.n - a.n || cmp(a.e.name, b.e.name))[0]?.e;
}
