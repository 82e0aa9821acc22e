import type { RouteQuery } from '../routing/route.js';

/** The route parameters after schema validation: every field optional, types already checked. */
export type RouteParams = { phone?: string; zip?: string; lat?: number; lon?: number; lang?: string };

export type RouteQueryResult = { ok: true; query: RouteQuery } | { ok: false; message: string };

/** Which question a request asks: exactly one of phone, zip, or lat with lon. */
export function toRouteQuery(params: RouteParams): RouteQueryResult {
  // A language tag such as es-US routes by its primary language.
  const lang = params.lang === undefined ? undefined : params.lang.split('-')[0]!.toLowerCase();
  const hasLocation = params.lat !== undefined || params.lon !== undefined;
  const given = (params.phone !== undefined ? 1 : 0) + (params.zip !== undefined ? 1 : 0) + (hasLocation ? 1 : 0);
  if (given === 0) return { ok: false, message: 'give one of: phone, zip, or lat and lon' };
  if (given > 1) return { ok: false, message: 'give only one of: phone, zip, or lat and lon' };
  if (params.phone !== undefined) return { ok: true, query: { kind: 'phone', phone: params.phone, lang } };
  if (params.zip !== undefined) return { ok: true, query: { kind: 'zip', zip: params.zip, lang } };
  if (params.lat === undefined || params.lon === undefined) return { ok: false, message: 'lat and lon must be given together' };
  return { ok: true, query: { kind: 'location', lat: params.lat, lon: params.lon, lang } };
}
