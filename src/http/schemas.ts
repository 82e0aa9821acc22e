/**
 * JSON schemas shared by the routes: Fastify compiles them once into validators (ajv) and
 * serializers (fast-json-stringify). openapi.yaml describes the same shapes for callers.
 */
const NO_CONTROL_CHARACTERS = '^[^\\u0000-\\u001F\\u007F]*$';
/** Plain decimal text as JSON writes numbers, with an optional sign: no spaces, hex, commas or Infinity. */
const DECIMAL_NUMBER = '^[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?$';

export const routeParamProperties = {
  phone: { type: 'string', maxLength: 64, pattern: NO_CONTROL_CHARACTERS },
  zip: { type: 'string', pattern: '^\\d{5}(-?\\d{4})?$' },
  // Decimal text (a JSON number arrives as its text), range-checked after Number() in routeQuery.ts.
  lat: { type: 'string', maxLength: 64, pattern: DECIMAL_NUMBER },
  lon: { type: 'string', maxLength: 64, pattern: DECIMAL_NUMBER },
  lang: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})?$' },
} as const;

/** What a caller is told when a field fails its schema, by field name. */
export const FIELD_RULES: Record<string, string> = {
  phone: 'phone must be text of at most 64 characters without control characters',
  zip: 'zip must be 5 digits or ZIP+4, e.g. 10001 or 10001-1234',
  lat: 'lat must be a number from -90 to 90',
  lon: 'lon must be a number from -180 to 180',
  lang: 'lang must be a language code such as en or es',
};

export const destinationSchema = {
  $id: 'Destination',
  type: 'object',
  required: ['id', 'kind', 'name', 'phone', 'state', 'distanceKm', 'open', 'hours', 'timeZone', 'languages'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['affiliate', 'national'] },
    name: { type: 'string' },
    phone: { type: 'string' },
    state: { type: ['string', 'null'] },
    distanceKm: { type: ['number', 'null'] },
    open: { type: 'boolean' },
    hours: { type: 'string' },
    timeZone: { type: 'string' },
    languages: { type: 'array', items: { type: 'string' } },
  },
} as const;

export const routeAnswerSchema = {
  $id: 'RouteAnswer',
  type: 'object',
  required: ['destinations', 'method', 'prefixLength', 'needsZip', 'reason', 'place', 'lineType', 'datasetVersion'],
  properties: {
    destinations: { type: 'array', items: { $ref: 'Destination#' } },
    method: { type: 'string', enum: ['prefix', 'zip', 'zip3', 'location', 'none'] },
    prefixLength: { type: ['integer', 'null'] },
    needsZip: { type: 'boolean' },
    reason: { type: ['string', 'null'] },
    place: {
      type: ['object', 'null'],
      required: ['state', 'name', 'precision'],
      properties: {
        state: { type: 'string' },
        name: { type: 'string' },
        precision: { type: 'string', enum: ['exchange', 'areaCode', 'zip', 'zip3', 'location'] },
      },
    },
    lineType: { type: ['string', 'null'], enum: ['wireless', 'wireline', 'unknown', null] },
    datasetVersion: { type: 'string' },
    degraded: { type: 'boolean' },
  },
} as const;

export const errorAnswerSchema = {
  $id: 'ErrorAnswer',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              row: { type: ['integer', 'null'] },
              column: { type: ['string', 'null'] },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  },
} as const;
