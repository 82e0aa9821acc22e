import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ExchangeFile } from '../dataset/geography.js';
import type { PackedGeography } from '../dataset/packedGeography.js';

/** A geography as it appears in version metadata and Redis keys: "nanpa-" and 12 hex digits of its file. */
export const GEOGRAPHY_ID_PATTERN = '^nanpa-[0-9a-f]{12}$';

/** Geographies are named by content, like table versions: the same file is the same geography everywhere. */
export function geographyId(exchangesJson: string): string {
  return `nanpa-${createHash('sha256').update(exchangesJson).digest('hex').slice(0, 12)}`;
}

export const GeographyMetaSchema = z.object({
  id: z.string().regex(new RegExp(GEOGRAPHY_ID_PATTERN)),
  /** NANPA's "File Updated" date of the central office code report, and the area code report's "File Date". */
  coCodes: z.string(),
  areaCodes: z.string(),
  exchanges: z.number().int(),
  atRateCenter: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** shipped: data/exchanges.json of some deploy; upload: built from NANPA files ops loaded. */
  origin: z.enum(['shipped', 'upload']),
});
export type GeographyMeta = z.infer<typeof GeographyMetaSchema>;

/** A geography as stored: its metadata and its exchanges.json text. */
export type StoredGeography = { meta: GeographyMeta; json: string };

/** A geography ready to compile with: its file and its places, packed. */
export type CatalogEntry = StoredGeography & { packed: PackedGeography };

/** The shipped geography's metadata, from its file. */
export function shippedGeographyMeta(json: string, file: ExchangeFile): GeographyMeta {
  const located = new Set(file.rateCenters.rows.flatMap((r, i) => (r[3] === null ? [] : [i])));
  return {
    id: geographyId(json),
    coCodes: file.source.coCodes,
    areaCodes: file.source.areaCodes,
    exchanges: file.exchanges.rows.length,
    atRateCenter: file.exchanges.rows.filter((e) => located.has(e[1])).length,
    createdAt: new Date(0).toISOString(),
    createdBy: 'data/',
    origin: 'shipped',
  };
}
