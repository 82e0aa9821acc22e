import type { RouteQuery } from '../../core/route.js';
import { FIELD_RULES } from '../schemas.js';

/** The route parameters after schema validation: every field optional, coordinates still decimal text. */
export type RouteParams = { phone?: string; zip?: string; lat?: string; lon?: string; lang?: string };

export type RouteQueryResult = { ok: true; query: RouteQuery } | { ok: false; message: string };

/** Which question a request asks: exactly one of phone, zip, or lat with lon. */
export function toRouteQuery(params: RouteParams): RouteQueryResult {
  // A language tag such as es-US routes by its primary language.
  const lang = params.lang === undefined ? undefined : params.lang.split('-')[0]!.toLowerCase();
  // Out of range is reported before anything else, as the schema reports text that is not a number.
  const lat = params.lat === undefined ? undefined : Number(params.lat);
  if (lat !== undefined && !(lat >= -90 && lat <= 90)) return { ok: false, message: FIELD_RULES.lat! };
  const lon = params.lon === undefined ? undefined : Number(params.lon);
  if (lon !== undefined && !(lon >= -180 && lon <= 180)) return { ok: false, message: FIELD_RULES.lon! };
  const hasLocation = lat !== undefined || lon !== undefined;
  const given = (params.phone !== undefined ? 1 : 0) + (params.zip !== undefined ? 1 : 0) + (hasLocation ? 1 : 0);
  if (given === 0) return { ok: false, message: 'give one of: phone, zip, or lat and lon' };
  if (given > 1) return { ok: false, message: 'give only one of: phone, zip, or lat and lon' };
  if (params.phone !== undefined) return { ok: true, query: { kind: 'phone', phone: params.phone, lang } };
  if (params.zip !== undefined) return { ok: true, query: { kind: 'zip', zip: params.zip, lang } };
  if (lat === undefined || lon === undefined) return { ok: false, message: 'lat and lon must be given together' };
  return { ok: true, query: { kind: 'location', lat, lon, lang } };
}
