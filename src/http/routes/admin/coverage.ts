import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { VERSION_PATTERN } from '../../../dataset/datasetVersion.js';
import type { TablesAdmin } from '../../../tables/tablesAdmin.js';
import { errorBody } from '../../errors.js';
import { pageHeaders } from '../../plugins/security.js';
import { coverageSchema } from './coverageSchema.js';

const PAGE_DIR = new URL('../../../opsPage/', import.meta.url);
const error = { $ref: 'ErrorAnswer#' };

/** GET /datasets/:version/coverage: what a stored version does to coverage (behind the admin token). */
export async function coverageRoutes(app: FastifyInstance, { service }: { service: TablesAdmin }): Promise<void> {
  app.get<{ Params: { version: string } }>(
    '/datasets/:version/coverage',
    {
      schema: {
        params: {
          type: 'object',
          required: ['version'],
          properties: { version: { type: 'string', pattern: VERSION_PATTERN } },
        },
        response: { 200: coverageSchema, '4xx': error, '5xx': error },
      },
    },
    async (request, reply) => {
      const coverage = await service.coverage(request.params.version);
      if (coverage === null)
        return reply.code(404).send(errorBody('unknown_version', `no stored version ${request.params.version}`));
      return reply.header('cache-control', 'no-store').send(coverage);
    },
  );
}

/**
 * GET /coverage, the coverage page, and GET /coverage.js, its script. Neither holds any data (the
 * page asks for the admin token and fetches the JSON with it), so they are served without the token.
 */
export async function coveragePageRoutes(app: FastifyInstance): Promise<void> {
  const [page, script] = await Promise.all([
    readFile(new URL('coverage.html', PAGE_DIR), 'utf8'),
    readFile(new URL('coverage.js', PAGE_DIR), 'utf8'),
  ]);
  app.get('/coverage', async (_request, reply) =>
    reply.headers(pageHeaders).type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
  );
  app.get('/coverage.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(script),
  );
}
