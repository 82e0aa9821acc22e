import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { parse } from 'yaml';

type StaticDocument = Extract<
  NonNullable<Parameters<typeof swagger>[1]>,
  { mode: 'static' }
>['specification'] extends infer S
  ? S extends { document: infer D }
    ? D
    : never
  : never;

export type ApiDocsOptions = { openapiPath: string };

/**
 * The API contract as written (openapi.yaml, read once) at /openapi.yaml, and browsable at /docs
 * with Swagger UI served from its own bundled assets, so the docs work without a CDN.
 */
export async function apiDocs(app: FastifyInstance, options: ApiDocsOptions): Promise<void> {
  const text = await readFile(options.openapiPath, 'utf8');
  const document = parse(text) as StaticDocument;

  app.get('/openapi.yaml', async (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').header('cache-control', 'public, max-age=300').send(text),
  );

  await app.register(swagger, { mode: 'static', specification: { document } });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}
