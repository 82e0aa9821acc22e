import { VERSION_PATTERN } from '../../../dataset/datasetVersion.js';
import { coverageChange } from './coverageSchema.js';

/** Per-route schemas of the admin API: compiled validators and serializers, mirrored in openapi.yaml. */
const error = { $ref: 'ErrorAnswer#' };
const flag = { type: 'boolean' } as const;
const versionParams = {
  type: 'object',
  required: ['version'],
  properties: { version: { type: 'string', pattern: VERSION_PATTERN } },
} as const;
const idList = { type: 'array', items: { type: 'string' } } as const;

/** What any upload answers about the version it made: table and geography uploads alike. */
const versionOutcome = {
  version: { type: 'string' },
  dryRun: flag,
  created: flag,
  activated: flag,
  previous: { type: ['string', 'null'] },
  compileMs: { type: 'integer' },
  against: { type: ['string', 'null'] },
} as const;
const versionOutcomeFields = ['version', 'dryRun', 'created', 'activated', 'previous', 'compileMs', 'against'] as const;

const uploadReport = {
  type: 'object',
  required: [...versionOutcomeFields, 'sample', 'centers', 'diff', 'problems', 'notes'],
  properties: {
    ...versionOutcome,
    sample: flag,
    centers: { type: 'integer' },
    diff: {
      type: ['object', 'null'],
      properties: {
        centers: {
          type: 'object',
          properties: {
            added: idList,
            removed: idList,
            changed: {
              type: 'array',
              items: { type: 'object', properties: { id: { type: 'string' }, fields: idList } },
            },
          },
        },
        firstCenterChanged: {
          type: 'object',
          properties: { zips: { type: 'integer' }, zip3s: { type: 'integer' }, prefixes: { type: 'integer' } },
        },
      },
    },
    coverage: coverageChange,
    problems: { type: 'array', items: { type: 'object' } },
    notes: { type: 'array', items: { type: 'string' } },
  },
} as const;

const datasetDiff = uploadReport.properties.diff;

const geographyMeta = {
  type: 'object',
  required: ['id', 'coCodes', 'areaCodes', 'exchanges', 'atRateCenter', 'createdAt', 'createdBy', 'origin'],
  properties: {
    id: { type: 'string' },
    coCodes: { type: 'string' },
    areaCodes: { type: 'string' },
    exchanges: { type: 'integer' },
    atRateCenter: { type: 'integer' },
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
    origin: { type: 'string' },
  },
} as const;

const examples = { type: 'array', items: { type: 'string' } } as const;
const geographyReport = {
  type: 'object',
  required: [...versionOutcomeFields, 'diff', 'geography', 'unlocatedRateCenters', 'geographyDiff'],
  properties: {
    ...versionOutcome,
    diff: datasetDiff,
    coverage: coverageChange,
    geography: geographyMeta,
    unlocatedRateCenters: { type: 'integer' },
    geographyDiff: {
      type: 'object',
      properties: {
        exchanges: {
          type: 'object',
          properties: { added: { type: 'integer' }, removed: { type: 'integer' }, moved: { type: 'integer' } },
        },
        areaCodes: { type: 'object', properties: { added: examples, removed: examples } },
        changedState: { type: 'integer' },
        examples: {
          type: 'object',
          properties: { added: examples, removed: examples, moved: examples, changedState: examples },
        },
      },
    },
  },
} as const;

const versionListing = {
  type: 'object',
  required: ['version', 'active', 'createdAt'],
  properties: {
    version: { type: 'string' },
    active: flag,
    createdAt: { type: 'string' },
    createdBy: { type: 'string' },
    name: { type: 'string' },
    origin: { type: 'string' },
    sample: flag,
    centers: { type: 'integer' },
    geography: { type: 'string' },
  },
} as const;

export const adminSchemas = {
  geography: {
    querystring: { type: 'object', properties: { dryRun: flag, activate: flag }, additionalProperties: false },
    response: { '2xx': geographyReport, '4xx': error, '5xx': error },
  },
  upload: {
    querystring: {
      type: 'object',
      properties: { dryRun: flag, activate: flag, sample: flag, name: { type: 'string', maxLength: 40 } },
      additionalProperties: false,
    },
    response: { '2xx': uploadReport, '4xx': error, '5xx': error },
  },
  list: {
    response: {
      200: {
        type: 'object',
        required: ['versions'],
        properties: { versions: { type: 'array', items: versionListing } },
      },
      '4xx': error,
      '5xx': error,
    },
  },
  exportCsv: { params: versionParams, response: { '4xx': error, '5xx': error } },
  activate: {
    params: versionParams,
    response: {
      200: {
        type: 'object',
        required: ['active', 'previous'],
        properties: { active: { type: 'string' }, previous: { type: ['string', 'null'] } },
      },
      '4xx': error,
      '5xx': error,
    },
  },
};
