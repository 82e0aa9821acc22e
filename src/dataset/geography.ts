import { z } from 'zod';

/** The static geography shipped in data/: where zips and phone prefixes are. Built by scripts/build-data.ts. */
export type ZipPlace = { zip: string; lat: number; lon: number; state: string; city: string };
export type PrefixPlace = { prefix: string; lat: number; lon: number; state: string; place: string; precision: 'city' | 'state' };
export type Geography = { zips: ZipPlace[]; prefixes: PrefixPlace[] };

const ZIP = /^\d{5}$/;
const PREFIX = /^[2-9]\d{2,6}$/;
const STATE = /^[A-Z]{2}$/;
const isLatitude = (v: unknown) => typeof v === 'number' && v >= -90 && v <= 90;
const isLongitude = (v: unknown) => typeof v === 'number' && v >= -180 && v <= 180;

/**
 * A table of rows checked with a plain predicate per row: a zod tuple per row would allocate a
 * copy of each of the ~70 000 rows at every start (about 50 MB of garbage and 140 ms).
 */
function rowsTable<Row extends readonly unknown[]>(columns: readonly string[], isRow: (row: readonly unknown[]) => boolean) {
  return z.object({
    columns: z.array(z.string()).refine((c) => c.join() === columns.join(), `columns must be ${columns.join(', ')}`),
    rows: z.array(z.unknown()).superRefine((rows, ctx) => {
      const bad = rows.findIndex((row) => !Array.isArray(row) || row.length !== columns.length || !isRow(row));
      if (bad >= 0) ctx.addIssue({ code: 'custom', path: [bad], message: `row ${bad} is not [${columns.join(', ')}]: ${JSON.stringify(rows[bad]).slice(0, 120)}` });
    }).transform((rows) => rows as unknown as Row[]),
  });
}

export const ZipFileSchema = rowsTable<[string, number, number, string, string]>(['zip', 'lat', 'lon', 'state', 'city'], (r) => typeof r[0] === 'string' && ZIP.test(r[0]) && isLatitude(r[1]) && isLongitude(r[2]) && typeof r[3] === 'string' && STATE.test(r[3]) && typeof r[4] === 'string');

export const PrefixFileSchema = rowsTable<[string, number, number, string, string, 'city' | 'state']>(['prefix', 'lat', 'lon', 'state', 'place', 'precision'], (r) => typeof r[0] === 'string' && PREFIX.test(r[0]) && isLatitude(r[1]) && isLongitude(r[2]) && typeof r[3] === 'string' && STATE.test(r[3]) && typeof r[4] === 'string' && (r[5] === 'city' || r[5] === 'state'));

export function parseGeography(zipFile: unknown, prefixFile: unknown): Geography {
  const zips = ZipFileSchema.parse(zipFile).rows.map(([zip, lat, lon, state, city]) => ({ zip, lat, lon, state, city }));
  const prefixes = PrefixFileSchema.parse(prefixFile).rows.map(([prefix, lat, lon, state, place, precision]) => ({ prefix, lat, lon, state, place, precision }));
  return { zips, prefixes };
}
