import multipart from '@fastify/multipart';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TablesAdmin, Actor } from '../../../tables/tablesAdmin.js';
import { DATASET_NAME, DATASET_NAME_RULE } from '../../../dataset/datasetVersion.js';
import { errorBody } from '../../errors.js';
import { pathOnly } from '../../../observability/logging.js';
import { adminSchemas } from './adminSchemas.js';
import { coverageRoutes } from './coverage.js';
import { UNREACHABLE, type StoreFault } from '../../../store/storeFaults.js';

export type AdminOptions = {
  service: TablesAdmin;
  /** Token by label; the label is who acted in the audit trail. */
  tokens: ReadonlyMap<string, string>;
  maxUploadBytes: number;
  /** Whether the table store answers; its faults are 503s, not 500s. */
  storeReachable: () => boolean;
  /** Which store fault an error is (a timeout, out of memory...), or null when it is not the store's. */
  storeFault?: (error: Error) => StoreFault | null;
};

type UploadQuery = { dryRun?: boolean; activate?: boolean; name?: string; sample?: boolean };
type GeographyQuery = { dryRun?: boolean; activate?: boolean };

/** NANPA's central office code zip is ~2 MB (~41 MB unzipped); room for a few years of growth. */
const MAX_NANPA_FILE_BYTES = 16 * 1024 * 1024;
const GEOGRAPHY_PARTS = {
  coCodes: 'CoCodeAssignment_Utilized_AllStates_Public.zip',
  npaReport: 'npa_report.csv',
} as const;
type VersionParams = { version: string };

/** Upload, dry-run, list, export and activate table versions; refresh the geography (index.ts adds auth). */
export async function adminRoutes(app: FastifyInstance, options: AdminOptions): Promise<void> {
  const { service, maxUploadBytes } = options;
  app.setErrorHandler((error: FastifyError, request, reply) => adminError(error, request, reply, options));
  // A table arrives as bytes, whose encoding the reader detects; a workbook gets there to be told to save as CSV.
  app.addContentTypeParser(TABLE_TYPES, { parseAs: 'buffer', bodyLimit: maxUploadBytes }, (_request, body, done) =>
    done(null, body),
  );

  const actor = (request: FastifyRequest): Actor => ({ who: request.adminLabel ?? 'unknown', log: request.log });
  await app.register(multipart, { limits: { fileSize: MAX_NANPA_FILE_BYTES, files: 2, fields: 0, parts: 2 } });

  app.post<{ Querystring: UploadQuery }>(
    '/datasets',
    { bodyLimit: maxUploadBytes, schema: adminSchemas.upload },
    async (request, reply) => {
      const { dryRun = false, activate = false, sample = false } = request.query;
      const name = request.query.name ?? 'affiliates';
      if (!DATASET_NAME.test(name)) return reply.code(400).send(errorBody('invalid_request', DATASET_NAME_RULE));
      if (dryRun && activate)
        return reply.code(400).send(errorBody('invalid_request', 'dryRun and activate cannot be combined'));
      const format = /json/i.test(request.headers['content-type'] ?? '') ? 'json' : 'csv';
      const body = request.isMultipart() ? await filePart(request, maxUploadBytes) : request.body;
      if (body === TOO_LARGE) return reply.code(413).send(tooLarge(maxUploadBytes));
      if (body === undefined || body === '' || (body instanceof Uint8Array && body.length === 0))
        return reply
          .code(400)
          .send(
            errorBody(
              'empty_upload',
              'the upload is empty: send the affiliates table as text/csv or application/json',
              [{ row: null, column: null, message: 'the body is empty' }],
            ),
          );
      const outcome = await service.upload(
        { body, format, name, markedSample: sample, dryRun, activate },
        actor(request),
      );
      if (!outcome.ok) {
        return reply
          .code(422)
          .send(
            errorBody(
              'invalid_dataset',
              `the table has ${plural(outcome.problems.length, 'problem')}; nothing was stored`,
              outcome.problems,
            ),
          );
      }
      return reply.code(outcome.report.created ? 201 : 200).send(outcome.report);
    },
  );

  // NANPA's two reports as downloaded, as multipart parts coCodes (the zip) and npaReport (the CSV).
  app.post<{ Querystring: GeographyQuery }>(
    '/geography',
    { schema: adminSchemas.geography },
    async (request, reply) => {
      const { dryRun = false, activate = false } = request.query;
      if (dryRun && activate)
        return reply.code(400).send(errorBody('invalid_request', 'dryRun and activate cannot be combined'));
      if (!request.isMultipart()) return reply.code(415).send(errorBody('unsupported_media_type', GEOGRAPHY_USAGE));
      const parts: Partial<Record<keyof typeof GEOGRAPHY_PARTS, Buffer>> = {};
      for await (const part of request.files()) {
        if (!(part.fieldname in GEOGRAPHY_PARTS))
          return reply
            .code(400)
            .send(errorBody('invalid_request', `unknown part ${part.fieldname}: ${GEOGRAPHY_USAGE}`));
        parts[part.fieldname as keyof typeof GEOGRAPHY_PARTS] = await part.toBuffer();
      }
      if (!parts.coCodes || !parts.npaReport)
        return reply.code(400).send(errorBody('invalid_request', `both files are needed: ${GEOGRAPHY_USAGE}`));
      const upload = { coCodes: parts.coCodes, npaReport: parts.npaReport.toString('utf8'), dryRun, activate };
      const outcome = await service.uploadGeography(upload, actor(request));
      if (!outcome.ok) {
        return reply
          .code(422)
          .send(errorBody('invalid_geography', 'the geography fails its checks; nothing was stored', outcome.problems));
      }
      return reply.code(outcome.report.created ? 201 : 200).send(outcome.report);
    },
  );

  app.get('/datasets', { schema: adminSchemas.list }, async () => ({ versions: await service.list() }));

  app.get<{ Params: VersionParams }>(
    '/datasets/:version/affiliates',
    { schema: adminSchemas.exportCsv },
    async (request, reply) => {
      const csv = await service.export(request.params.version, actor(request));
      if (csv === null)
        return reply.code(404).send(errorBody('unknown_version', `no stored version ${request.params.version}`));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${request.params.version}.csv"`)
        .send(csv);
    },
  );

  app.post<{ Params: VersionParams }>(
    '/datasets/:version/activate',
    { schema: adminSchemas.activate },
    async (request, reply) => {
      const outcome = await service.activate(request.params.version, actor(request));
      if (!outcome.ok && outcome.reason === 'refused')
        return reply.code(409).send(errorBody('refused', `${outcome.message}; the active version is unchanged`));
      if (!outcome.ok && outcome.reason === 'not_replicated')
        return reply.code(503).send(errorBody('store_unavailable', outcome.message));
      if (!outcome.ok)
        return reply
          .code(404)
          .send(
            errorBody(
              'unknown_version',
              `no stored version ${request.params.version}; the active version is unchanged`,
            ),
          );
      return reply.send({ active: outcome.version, previous: outcome.previous });
    },
  );
  // Here so a store fault while a version compiles for its coverage is answered like any admin call's.
  await app.register(coverageRoutes, { service });
}

/** What spreadsheets and curl send a CSV as; an .xlsx type too, so its answer says to save as CSV, not 415. */
const TABLE_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'text/tab-separated-values',
  'application/octet-stream',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

const TOO_LARGE = Symbol('too large');

/** A form upload (curl -F table=@affiliates.csv): its one file's bytes. */
async function filePart(request: FastifyRequest, maxBytes: number): Promise<Buffer | typeof TOO_LARGE | undefined> {
  const part = await request.file({ limits: { fileSize: maxBytes, files: 1, fields: 0 } });
  return part?.toBuffer().catch((error: FastifyError) => {
    if (error.code === 'FST_REQ_FILE_TOO_LARGE') return TOO_LARGE;
    throw error;
  });
}

const tooLarge = (maxBytes: number) => {
  const message = `the upload is larger than the ${maxBytes} bytes allowed (MAX_UPLOAD_BYTES)`;
  return errorBody('body_too_large', message, [{ row: null, column: null, message }]);
};

const GEOGRAPHY_USAGE =
  `send multipart/form-data with coCodes=@${GEOGRAPHY_PARTS.coCodes}` + ` and npaReport=@${GEOGRAPHY_PARTS.npaReport}`;

const UPLOAD_ERRORS: Record<string, (options: AdminOptions) => [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (o) => [
    413,
    'body_too_large',
    `the upload is larger than the ${o.maxUploadBytes} bytes allowed (MAX_UPLOAD_BYTES)`,
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => [
    415,
    'unsupported_media_type',
    'send the affiliates table as text/csv or application/json',
  ],
  FST_ERR_CTP_INVALID_JSON_BODY: () => [400, 'invalid_body', 'the body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: () => [
    400,
    'empty_upload',
    'the upload is empty: send the affiliates table as text/csv or application/json',
  ],
  FST_REQ_FILE_TOO_LARGE: () => [
    413,
    'body_too_large',
    `a NANPA file is larger than the ${MAX_NANPA_FILE_BYTES} bytes allowed`,
  ],
  FST_INVALID_MULTIPART_CONTENT_TYPE: () => [415, 'unsupported_media_type', GEOGRAPHY_USAGE],
};

/** Admin errors carry details like upload problems do; a store fault is 503, a bug 500 without internals. */
function adminError(error: FastifyError, request: FastifyRequest, reply: FastifyReply, options: AdminOptions): void {
  const known = error.code ? UPLOAD_ERRORS[error.code]?.(options) : undefined;
  if (known) {
    const [status, code, message] = known;
    void reply.code(status).send(errorBody(code, message, [{ row: null, column: null, message }]));
    return;
  }
  const status = error.statusCode ?? 500;
  if (error.validation || (status >= 400 && status < 500)) {
    void reply
      .code(status)
      .send(
        errorBody(status === 429 ? 'rate_limited' : 'invalid_request', error.message, [
          { row: null, column: null, message: error.message },
        ]),
      );
    return;
  }
  const fault = options.storeFault?.(error) ?? (options.storeReachable() ? null : UNREACHABLE);
  if (fault) {
    const fields = { path: pathOnly(request.url), problem: fault.problem, err: { message: error.message } };
    request.log.warn(fields, `admin request failed: ${fault.message}`);
    const message = `${fault.message}; routing continues on the loaded tables, retry the admin action later`;
    void reply.code(503).header('retry-after', '5').send(errorBody('store_unavailable', message));
    return;
  }
  request.log.error({ err: { type: error.name, message: error.message, stack: error.stack } }, 'admin request failed');
  void reply.code(500).send(errorBody('internal', 'internal error'));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
