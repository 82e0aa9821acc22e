import { z } from 'zod';

/** The static geography shipped in data/: where zips and phone prefixes are. Built by scripts/build-data.ts. */
const Latitude = z.number().min(-90).max(90);
const Longitude = z.number().min(-180).max(180);
const StateCode = z.string().regex(/^[A-Z]{2}$/);

export const ZipFileSchema = z.object({
  columns: z.tuple([z.literal('zip'), z.literal('lat'), z.literal('lon'), z.literal('state'), z.literal('city')]),
  rows: z.array(z.tuple([z.string().regex(/^\d{5}$/), Latitude, Longitude, StateCode, z.string()])),
});

export const PrefixFileSchema = z.object({
  columns: z.tuple([z.literal('prefix'), z.literal('lat'), z.literal('lon'), z.literal('state'), z.literal('place'), z.literal('precision')]),
  rows: z.array(z.tuple([z.string().regex(/^[2-9]\d{2,6}$/), Latitude, Longitude, StateCode, z.string(), z.enum(['city', 'state'])])),
});

export type ZipPlace = { zip: string; lat: number; lon: number; state: string; city: string };
export type PrefixPlace = { prefix: string; lat: number; lon: number; state: string; place: string; precision: 'city' | 'state' };
export type Geography = { zips: ZipPlace[]; prefixes: PrefixPlace[] };

export function parseGeography(zipFile: unknown, prefixFile: unknown): Geography {
  const zips = ZipFileSchema.parse(zipFile).rows.map(([zip, lat, lon, state, city]) => ({ zip, lat, lon, state, city }));
  const prefixes = PrefixFileSchema.parse(prefixFile).rows.map(([prefix, lat, lon, state, place, precision]) => ({ prefix, lat, lon, state, place, precision }));
  return { zips, prefixes };
}
