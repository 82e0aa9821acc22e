import { z } from 'zod';
import type { LineType } from '../core/types.js';
import type { County, Geography, PrefixPlace, ZipPlace } from '../core/inputs.js';
import { stateName } from '../core/stateNames.js';

/** The static geography shipped in data/: where zips and phone prefixes are. Built by scripts/build-data.ts. */
export type { County, Geography, LineType, PrefixPlace, ZipPlace };

const ZIP = /^\d{5}$/;
const STATE = /^[A-Z]{2}$/;
const isLatitude = (v: unknown) => typeof v === 'number' && v >= -90 && v <= 90;
const isLongitude = (v: unknown) => typeof v === 'number' && v >= -180 && v <= 180;
const isText = (v: unknown, pattern: RegExp) => typeof v === 'string' && pattern.test(v);

/**
 * A table of rows checked with a plain predicate per row: a zod tuple per row would allocate a
 * copy of each of the ~240 000 rows at every start.
 */
function rowsTable<Row extends readonly unknown[]>(
  columns: readonly string[],
  isRow: (row: readonly unknown[]) => boolean,
  /** A last column files written before it may lack. */
  optional?: string,
) {
  const widths = optional ? [columns.length, columns.length + 1] : [columns.length];
  const named = (c: string[]) =>
    c.join() === columns.join() || (optional && c.join() === `${columns.join()},${optional}`);
  const rule = `columns must be ${columns.join(', ')}${optional ? ` (then ${optional})` : ''}`;
  return z.object({
    columns: z.array(z.string()).refine(named, rule),
    rows: z
      .array(z.unknown())
      .superRefine((rows, ctx) => {
        const bad = rows.findIndex((row) => !Array.isArray(row) || !widths.includes(row.length) || !isRow(row));
        if (bad < 0) return;
        const text = JSON.stringify(rows[bad]).slice(0, 120);
        ctx.addIssue({ code: 'custom', path: [bad], message: `row ${bad} is not [${columns.join(', ')}]: ${text}` });
      })
      .transform((rows) => rows as unknown as Row[]),
  });
}

const FIPS = /^\d{5}$/;

/** data/zips.json: the zips (their county FIPS, "" for none, in files that have it) and the counties they name. */
export const ZipFileSchema = rowsTable<[string, number, number, string, string, string?]>(
  ['zip', 'lat', 'lon', 'state', 'city'],
  (r) =>
    isText(r[0], ZIP) &&
    isLatitude(r[1]) &&
    isLongitude(r[2]) &&
    isText(r[3], STATE) &&
    typeof r[4] === 'string' &&
    (r[5] === undefined || r[5] === '' || isText(r[5], FIPS)),
  'county',
).extend({
  counties: rowsTable<[string, string, string]>(
    ['fips', 'state', 'name'],
    (r) => isText(r[0], FIPS) && isText(r[1], STATE) && typeof r[2] === 'string' && r[2] !== '',
  ).optional(),
});

const LINE_TYPES: Record<string, LineType> = { w: 'wireless', l: 'wireline', u: 'unknown' };

/** data/exchanges.json: area codes in service, rate centers (located or not) and assigned exchanges. */
export const ExchangeFileSchema = z.object({
  /** NANPA's dates for the two reports the file was built from. */
  source: z.object({ coCodes: z.string(), areaCodes: z.string() }),
  areaCodes: rowsTable<[string, string, number, number]>(
    ['npa', 'state', 'lat', 'lon'],
    (r) => isText(r[0], /^[2-9]\d\d$/) && isText(r[1], STATE) && isLatitude(r[2]) && isLongitude(r[3]),
  ),
  rateCenters: rowsTable<[string, string, string, number | null, number | null]>(
    ['state', 'rateCenter', 'name', 'lat', 'lon'],
    (r) =>
      isText(r[0], STATE) &&
      typeof r[1] === 'string' &&
      typeof r[2] === 'string' &&
      ((r[3] === null && r[4] === null) || (isLatitude(r[3]) && isLongitude(r[4]))),
  ),
  exchanges: rowsTable<[number, number, string]>(
    ['exchange', 'rateCenter', 'lineType'],
    (r) =>
      Number.isInteger(r[0]) &&
      (r[0] as number) >= 200200 &&
      (r[0] as number) <= 999999 &&
      Number.isInteger(r[1]) &&
      typeof r[2] === 'string' &&
      r[2] in LINE_TYPES,
  ),
});

export type ExchangeFile = z.infer<typeof ExchangeFileSchema>;

/**
 * The exchange file as prefix places: each area code at its state's centroid, each exchange at its
 * rate center, or at its area code's point when nothing located the rate center.
 */
export function exchangePrefixes(file: ExchangeFile): PrefixPlace[] {
  const out: PrefixPlace[] = [];
  const areaCodes = new Map<string, PrefixPlace>();
  for (const [npa, state, lat, lon] of file.areaCodes.rows) {
    const place: PrefixPlace = {
      prefix: npa,
      lat,
      lon,
      state,
      place: stateName(state),
      precision: 'areaCode',
      lineType: 'unknown',
    };
    areaCodes.set(npa, place);
    out.push(place);
  }
  const rateCenters = file.rateCenters.rows;
  file.exchanges.rows.forEach(([exchange, rc, letter], i) => {
    const rateCenter = rateCenters[rc];
    const prefix = String(exchange);
    const areaCode = areaCodes.get(prefix.slice(0, 3));
    if (!rateCenter || !areaCode) throw new Error(`exchanges row ${i} (${prefix}) names no rate center or area code`);
    const [state, , name, lat, lon] = rateCenter;
    const lineType = LINE_TYPES[letter]!;
    if (lat === null || lon === null) {
      out.push({
        prefix,
        lat: areaCode.lat,
        lon: areaCode.lon,
        state,
        place: stateName(state),
        precision: 'areaCode',
        lineType,
      });
    } else out.push({ prefix, lat, lon, state, place: name, precision: 'exchange', lineType });
  });
  return out;
}

/** The zips and counties of data/zips.json: what every geography, shipped or refreshed, places callers with. */
export function parseZips(zipFile: unknown): Pick<Geography, 'zips' | 'counties'> {
  const file = ZipFileSchema.parse(zipFile);
  const zips = file.rows.map(([zip, lat, lon, state, city, county]): ZipPlace => {
    const place: ZipPlace = { zip, lat, lon, state, city };
    if (county) place.county = county;
    return place;
  });
  const counties = file.counties?.rows.map(([fips, state, name]) => ({ fips, state, name }));
  return counties ? { zips, counties } : { zips };
}

export function parseGeography(zipFile: unknown, exchangeFile: unknown): Geography {
  return { ...parseZips(zipFile), prefixes: exchangePrefixes(ExchangeFileSchema.parse(exchangeFile)) };
}
