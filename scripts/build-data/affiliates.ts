// affiliates.csv: a SAMPLE table of fictional crisis centers at real cities.
//
// Every "random" choice is a hash of the center id, so the table is stable
// across rebuilds and only changes when the source data changes.
import { stringify } from 'csv-stringify/sync';
import { bucket, cityKey, cmp, distanceKm, hash, round, slug, type Point } from './util.js';
import { CORE_STATES } from './states.js';
import { assertValidTimeZone, timeZoneFor } from './timezones.js';
import type { CityInfo, ZipIndex, ZipRow } from './zips.js';
import type { PrefixRow } from './prefixes.js';
import { exportColumns } from '../../src/dataset/affiliate.js';

/** The sample names no county, so its header is the one exports write without serviceCounties. */
const COLUMNS = exportColumns([]);

/** Number of affiliate rows (the national row comes on top). */
const TARGET_AFFILIATES = 200;

/** Cities the tests and demos talk about: always present whatever the zip counts say. */
const PINNED_CITIES: [state: string, city: string][] = [
  ['NY', 'New York'],
  ['AK', 'Anchorage'],
  ['HI', 'Honolulu'],
  ['PR', 'San Juan'],
  ['CA', 'Los Angeles'],
  ['IL', 'Chicago'],
];

/** States where most sample centers also answer in Spanish. */
const SPANISH_HEAVY = new Set(['CA', 'TX', 'FL', 'NM', 'AZ', 'NY', 'IL']);

/** Limited schedules (see the hours grammar in data/README.md). */
const LIMITED_HOURS = [
  'Mo-Fr 09:00-17:00',
  'Mo-Fr 08:00-20:00; Sa,Su 10:00-16:00',
  'Mo-Su 18:00-02:00',
  'Mo-Fr 09:00-12:00,13:00-17:00',
  'Mo-Sa 08:00-22:00',
  'Mo-Su 07:00-23:00',
  'Mo-Fr 16:00-24:00; Sa,Su 12:00-24:00',
  'Mo-Th 08:00-20:00; Fr 08:00-17:00',
  'Mo-Fr 17:00-08:00; Sa,Su 00:00-24:00',
  'Mo,We,Fr 10:00-18:00; Tu,Th 12:00-21:00',
];

const NATIONAL = {
  id: 'national',
  name: 'Sample National Line (fictional)',
  phone: '+18005550100',
  timeZone: 'America/New_York',
  hours: '24/7',
  languages: 'en es',
};

interface Center {
  id: string;
  state: string;
  city: string;
  name: string;
  lat: number;
  lon: number;
  zip: string;
  phone: string;
  timeZone: string;
  hours: string;
  languages: string;
  serviceStates: string[];
  serviceZips: string[];
  servicePrefixes: string[];
  backupId: string;
}

export interface AffiliateStats {
  affiliates: number;
  states: number;
  perState: Record<string, number>;
  twentyFourSeven: number;
  spanish: number;
  withServiceArea: string[];
  withBackup: number;
}

/**
 * Centers per state: proportional to the state's share of zips (a rough
 * proxy for how many places it has), at least 1, at most its number of
 * distinct cities; largest remainders fill up to the target.
 */
function allocateCenters(index: ZipIndex): Map<string, number> {
  const states = Object.keys(CORE_STATES).sort(cmp);
  const total = states.reduce((n, s) => n + (index.stateZipCounts.get(s) ?? 0), 0);
  const quota = new Map(states.map((s) => [s, (TARGET_AFFILIATES * (index.stateZipCounts.get(s) ?? 0)) / total]));
  const cap = new Map(states.map((s) => [s, index.citiesByZipCount(s).length]));
  const alloc = new Map(states.map((s) => [s, Math.min(cap.get(s)!, Math.max(1, Math.floor(quota.get(s)!)))]));
  const sum = (): number => [...alloc.values()].reduce((a, b) => a + b, 0);
  const gap = (s: string): number => quota.get(s)! - alloc.get(s)!;
  while (sum() < TARGET_AFFILIATES) {
    const s = states.filter((x) => alloc.get(x)! < cap.get(x)!).sort((a, b) => gap(b) - gap(a) || cmp(a, b))[0];
    if (!s) break;
    alloc.set(s, alloc.get(s)! + 1);
  }
  while (sum() > TARGET_AFFILIATES) {
    const s = states.filter((x) => alloc.get(x)! > 1).sort((a, b) => gap(a) - gap(b) || cmp(a, b))[0];
    if (!s) break;
    alloc.set(s, alloc.get(s)! - 1);
  }
  return alloc;
}

function pickCities(index: ZipIndex, state: string, n: number): CityInfo[] {
  const pinned = PINNED_CITIES.filter(([s]) => s === state).map(([, city]) => {
    const info = index.city(state, city);
    if (!info) throw new Error(`pinned city ${city}, ${state} is not in zips.json`);
    return info;
  });
  const rest = index.citiesByZipCount(state).filter((c) => !pinned.includes(c));
  return [...pinned, ...rest].slice(0, Math.max(n, pinned.length));
}

/** The city's real zip closest to its centroid, preferring delivery-area zips over PO boxes. */
function representativeZip(city: CityInfo): ZipRow {
  const zctas = city.zips.filter((z) => z.zcta);
  return [...(zctas.length > 0 ? zctas : city.zips)].sort(
    (a, b) => distanceKm(city.centroid, a) - distanceKm(city.centroid, b) || cmp(a.zip, b.zip),
  )[0]!;
}

/**
 * Area code for a center's fictional number: prefer the area code Google
 * names after that very city, then the one with most exchanges in it, then
 * the geographically closest area code of the state.
 */
function makeAreaCodePicker(prefixes: readonly PrefixRow[]): (state: string, city: string, at: Point) => string {
  const threeDigit = prefixes.filter((p) => p.prefix.length === 3);
  const cityLevel = prefixes.filter((p) => p.precision === 'city');
  const placeCity = (p: PrefixRow): string => cityKey(p.place.replace(/, [A-Z]{2}$/, ''));
  const npaPoint = new Map<string, Point>();
  for (const ac of threeDigit) {
    const pts = cityLevel.filter((p) => p.prefix.startsWith(ac.prefix));
    if (pts.length === 0) {
      npaPoint.set(ac.prefix, ac);
    } else {
      const lat = pts.reduce((s, p) => s + p.lat, 0) / pts.length;
      const lon = pts.reduce((s, p) => s + p.lon, 0) / pts.length;
      npaPoint.set(ac.prefix, { lat, lon });
    }
  }
  return (state, city, at) => {
    const key = cityKey(city);
    const scored = threeDigit
      .filter((ac) => ac.state === state)
      .map((ac) => ({
        npa: ac.prefix,
        named: ac.precision === 'city' && placeCity(ac) === key ? 1 : 0,
        hits: cityLevel.filter((p) => p.prefix.startsWith(ac.prefix) && p.state === state && placeCity(p) === key)
          .length,
        km: distanceKm(at, npaPoint.get(ac.prefix)!),
      }))
      .sort((a, b) => b.named - a.named || b.hits - a.hits || a.km - b.km || cmp(a.npa, b.npa));
    const best = scored[0];
    if (!best) throw new Error(`no area code for ${state}`);
    return best.npa;
  };
}

function pickLanguages(c: { id: string; state: string; city: string }): string {
  if (c.state === 'PR') return 'es en';
  const spanish = SPANISH_HEAVY.has(c.state) ? bucket(c.id, 'es') < 75 : bucket(c.id, 'es') < 12;
  const langs = spanish ? ['en', 'es'] : ['en'];
  // A couple of multilingual lines where the communities are large.
  if (c.state === 'CA' && c.city === 'San Francisco') langs.push('zh');
  if (c.state === 'FL' && c.city === 'Miami') langs.push('ht');
  return langs.join(' ');
}

/** The `n` zips of `otherState` closest to a center: a cross-border metro service area. */
function nearestZipsAcross(zips: readonly ZipRow[], c: Center, otherState: string, n: number): string[] {
  return zips
    .filter((z) => z.state === otherState)
    .map((z) => ({ zip: z.zip, km: distanceKm(c, z) }))
    .sort((a, b) => a.km - b.km || cmp(a.zip, b.zip))
    .slice(0, n)
    .map((z) => z.zip)
    .sort(cmp);
}

/**
 * A few realistic service areas ("take these callers whatever the distance").
 * The ids are main cities of their states (PR/HI/NY pinned, the others top
 * of their state's list); a missing one fails the build rather than silently
 * shipping no examples.
 */
function assignServiceAreas(centers: Map<string, Center>, zips: readonly ZipRow[]): void {
  const get = (id: string): Center => {
    const c = centers.get(id);
    if (!c) throw new Error(`service-area example center ${id} is missing`);
    return c;
  };
  // The District line also answers suburban Maryland numbers.
  get('dc-washington').servicePrefixes = ['202', '301'];
  // Spanish/English line for Puerto Rico and the Virgin Islands (no center of their own).
  get('pr-san-juan').serviceStates = ['PR', 'VI'];
  // Honolulu covers the Pacific territories.
  get('hi-honolulu').serviceStates = ['AS', 'GU', 'MP'];
  // Kansas City, Missouri also takes the Kansas side of the metro.
  const kc = get('mo-kansas-city');
  kc.serviceZips = nearestZipsAcross(zips, kc, 'KS', 5);
  // New York City also takes the nearest New Jersey zips across the Hudson (Hoboken, Weehawken, ...).
  const nyc = get('ny-new-york');
  nyc.serviceZips = nearestZipsAcross(zips, nyc, 'NJ', 3);
}

/**
 * About a quarter of the centers name a backup. Backups are chosen only among
 * centers that have no backup themselves, so backup chains never loop.
 */
function assignBackups(centers: Center[]): void {
  const withBackup = centers.filter((c) => bucket(c.id, 'backup') < 25);
  const pool = centers.filter((c) => !withBackup.includes(c));
  for (const c of withBackup) {
    const byDistance = (a: Center, b: Center): number => distanceKm(c, a) - distanceKm(c, b) || cmp(a.id, b.id);
    const sameState = pool.filter((o) => o.state === c.state).sort(byDistance);
    const target = sameState[0] ?? [...pool].sort(byDistance)[0];
    if (!target || target.id === c.id) throw new Error(`no backup for ${c.id}`);
    c.backupId = target.id;
  }
}

export function buildSampleAffiliates(
  index: ZipIndex,
  zips: readonly ZipRow[],
  prefixes: readonly PrefixRow[],
): { csv: string; stats: AffiliateStats } {
  const alloc = allocateCenters(index);
  const pickAreaCode = makeAreaCodePicker(prefixes);
  const centers = new Map<string, Center>();

  for (const [state, n] of [...alloc.entries()].sort((a, b) => cmp(a[0], b[0]))) {
    pickCities(index, state, n).forEach((city, rank) => {
      const id = `${state.toLowerCase()}-${slug(city.city)}`;
      if (centers.has(id)) throw new Error(`duplicate center id ${id}`);
      const lat = round(city.centroid.lat, 4);
      const lon = round(city.centroid.lon, 4);
      const timeZone = timeZoneFor(state, city.city, lat, lon);
      assertValidTimeZone(timeZone);
      // The main center of each state is always open; the others are 24/7
      // about half the time, giving ~60% overall.
      const hours =
        rank === 0 || bucket(id, 'hours') < 48
          ? '24/7'
          : LIMITED_HOURS[hash(id, 'hours-pattern') % LIMITED_HOURS.length]!;
      centers.set(id, {
        id,
        state,
        city: city.city,
        name: `Sample Center ${city.city} (fictional)`,
        lat,
        lon,
        zip: representativeZip(city).zip,
        phone: '',
        timeZone,
        hours,
        languages: pickLanguages({ id, state, city: city.city }),
        serviceStates: [],
        serviceZips: [],
        servicePrefixes: [],
        backupId: '',
      });
    });
  }

  // Phone numbers: +1 NPA 555 01XX, numbered per area code in id order.
  const used = new Map<string, number>();
  const sorted = [...centers.values()].sort((a, b) => cmp(a.id, b.id));
  for (const c of sorted) {
    const npa = pickAreaCode(c.state, c.city, c);
    const n = used.get(npa) ?? 0;
    if (n > 99) throw new Error(`more than 100 sample centers on area code ${npa}`);
    used.set(npa, n + 1);
    c.phone = `+1${npa}55501${String(n).padStart(2, '0')}`;
  }
  if (used.get('800') !== undefined) throw new Error('800 is the national line');

  assignServiceAreas(centers, zips);
  assignBackups(sorted);

  const header = [...COLUMNS];
  const records: string[][] = [
    header,
    [
      'national',
      'national',
      NATIONAL.name,
      NATIONAL.phone,
      '',
      '',
      '',
      '',
      NATIONAL.timeZone,
      NATIONAL.hours,
      NATIONAL.languages,
      '',
      '',
      '',
      '',
    ],
    ...sorted.map((c) => [
      c.id,
      'affiliate',
      c.name,
      c.phone,
      String(c.lat),
      String(c.lon),
      c.zip,
      c.state,
      c.timeZone,
      c.hours,
      c.languages,
      c.serviceStates.join(' '),
      c.serviceZips.join(' '),
      c.servicePrefixes.join(' '),
      c.backupId,
    ]),
  ];
  checkAffiliates(records, new Set(prefixes.filter((p) => p.prefix.length === 3).map((p) => p.prefix)), zips);

  const perState: Record<string, number> = {};
  for (const c of sorted) perState[c.state] = (perState[c.state] ?? 0) + 1;
  const stats: AffiliateStats = {
    affiliates: sorted.length,
    states: Object.keys(perState).length,
    perState,
    twentyFourSeven: sorted.filter((c) => c.hours === '24/7').length,
    spanish: sorted.filter((c) => c.languages.split(' ').includes('es')).length,
    withServiceArea: sorted
      .filter((c) => c.serviceStates.length + c.serviceZips.length + c.servicePrefixes.length > 0)
      .map((c) => c.id),
    withBackup: sorted.filter((c) => c.backupId).length,
  };
  return { csv: stringify(records), stats };
}

// The hours grammar of data/README.md as a regular expression (sample rows only use forward day ranges).
const DAY = '(?:Mo|Tu|We|Th|Fr|Sa|Su)';
const TIME = '(?:[01]\\d|2[0-3]):[0-5]\\d';
const RANGE = `${TIME}-(?:${TIME}|24:00)`;
const RULE = `${DAY}(?:-${DAY})?(?:,${DAY}(?:-${DAY})?)* ${RANGE}(?:,${RANGE})*`;
const HOURS_RE = new RegExp(`^(?:24/7|${RULE}(?:; ${RULE})*)$`);

/** Format invariants documented in data/README.md. */
function checkAffiliates(records: string[][], areaCodes: Set<string>, zips: readonly ZipRow[]): void {
  const fail = (msg: string): never => {
    throw new Error(`affiliates sanity check failed: ${msg}`);
  };
  const [header, ...rows] = records;
  if (header?.join(',') !== COLUMNS.join(',')) fail('header');
  const col = (name: (typeof COLUMNS)[number]): number => COLUMNS.indexOf(name);
  const ids = new Set(rows.map((r) => r[col('id')]!));
  if (ids.size !== rows.length) fail('duplicate ids');
  if (rows.filter((r) => r[col('kind')] === 'national').length !== 1) fail('exactly one national row');
  const zipSet = new Set(zips.map((z) => z.zip));
  const phones = new Set<string>();
  for (const r of rows) {
    const id = r[col('id')]!;
    const phone = r[col('phone')]!;
    if (phones.has(phone)) fail(`duplicate phone ${phone}`);
    phones.add(phone);
    if (r[col('kind')] === 'affiliate') {
      if (!/^\+1[2-9]\d\d55501\d\d$/.test(phone)) fail(`${id} phone ${phone} outside 555-01XX`);
      if (!areaCodes.has(phone.slice(2, 5))) fail(`${id} area code not in prefixes.json`);
      if (!zipSet.has(r[col('zip')]!)) fail(`${id} zip not in zips.json`);
    }
    for (const z of r[col('serviceZips')]!.split(' ').filter(Boolean))
      if (!zipSet.has(z)) fail(`${id} serves unknown zip ${z}`);
    if (!HOURS_RE.test(r[col('hours')]!)) fail(`${id} hours ${r[col('hours')]}`);
    if (!/^[a-z]{2}( [a-z]{2})*$/.test(r[col('languages')]!)) fail(`${id} languages`);
    assertValidTimeZone(r[col('timeZone')]!);
    for (const st of r[col('serviceStates')]!.split(' ').filter(Boolean))
      if (!/^[A-Z]{2}$/.test(st)) fail(`${id} state ${st}`);
    for (const p of r[col('servicePrefixes')]!.split(' ').filter(Boolean))
      if (!/^[2-9]\d{2,6}$/.test(p)) fail(`${id} prefix ${p}`);
    const backup = r[col('backupId')]!;
    if (backup && (backup === id || !ids.has(backup))) fail(`${id} backup ${backup}`);
    r.forEach((cell, i) => {
      // Spreadsheet formula characters: only phones (+) and negative coordinates (-) may start with them.
      const numeric = COLUMNS[i] === 'lat' || COLUMNS[i] === 'lon';
      if (COLUMNS[i] !== 'phone' && !numeric && /^[=+\-@]/.test(cell)) fail(`${id} cell ${cell}`);
      if (numeric && cell !== '' && !/^-?\d+(\.\d+)?$/.test(cell)) fail(`${id} coordinate ${cell}`);
    });
  }
}
