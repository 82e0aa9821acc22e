/** core/coverage's Coverage as a response schema (compiled serializer), mirrored in openapi.yaml. */
const int = { type: 'integer' } as const;
const num = { type: 'number' } as const;
const numOrNull = { type: ['number', 'null'] } as const;
const str = { type: 'string' } as const;

const stateFields = [
  'state',
  'zips',
  'zipsInStateFirst',
  'zipsInStateShare',
  'exchanges',
  'exchangesInStateFirst',
  'exchangesInStateShare',
  'firstKm',
  'zipsBeyondFarKm',
] as const;
const stateCoverage = {
  type: 'object',
  required: stateFields,
  properties: {
    state: str,
    zips: int,
    zipsInStateFirst: int,
    zipsInStateShare: numOrNull,
    exchanges: int,
    exchangesInStateFirst: int,
    exchangesInStateShare: numOrNull,
    firstKm: {
      type: 'object',
      required: ['p50', 'p90', 'max'],
      properties: { p50: numOrNull, p90: numOrNull, max: numOrNull },
    },
    zipsBeyondFarKm: int,
  },
} as const;

const coverageCenter = {
  type: 'object',
  required: ['id', 'state', 'lat', 'lon', 'firstForZips', 'firstForExchanges'],
  properties: { id: str, state: str, lat: num, lon: num, firstForZips: int, firstForExchanges: int },
} as const;

const column = (items: object) => ({ type: 'array', items });

export const coverageSchema = {
  type: 'object',
  required: ['version', 'policy', 'farKm', 'cellDegrees', 'overall', 'states', 'firstForNobody', 'centers', 'cells'],
  properties: {
    version: str,
    policy: str,
    farKm: num,
    cellDegrees: num,
    overall: stateCoverage,
    states: { type: 'array', items: stateCoverage },
    firstForNobody: { type: 'array', items: str },
    centers: { type: 'array', items: coverageCenter },
    cells: {
      type: 'object',
      required: ['lat', 'lon', 'zips', 'center', 'maxKm'],
      properties: {
        lat: column(num),
        lon: column(num),
        zips: column(int),
        center: column(int),
        maxKm: column(numOrNull),
      },
    },
  },
} as const;

/** A dry run's coverage: the active version's (null on an empty store) and the upload's; null when not a dry run. */
export const coverageChange = {
  type: ['object', 'null'],
  required: ['before', 'after'],
  properties: { before: { ...coverageSchema, type: ['object', 'null'] }, after: coverageSchema },
} as const;
