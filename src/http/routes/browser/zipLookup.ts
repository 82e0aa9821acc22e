import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { RouteAnswer } from '../../answer/routeAnswer.js';
import { errorBody } from '../../errors.js';
import { routeParamProperties } from '../../schemas.js';
import { answerResponses, callerSafeErrorHandler, resolveRoute, sendAnswer } from '../../answer/lookup.js';

export type ZipLookupOptions = {
  /** Origins whose pages may call the lookup from a browser; '*' for any. Empty: same origin only. */
  allowedOrigins: readonly string[];
};

/**
 * The widget's lookup, GET /v1/zips/:zip. Registered under the /v1/zips prefix so that CORS (its
 * headers and its preflight route) applies to this endpoint alone.
 */
export async function zipLookupRoutes(app: FastifyInstance, options: ZipLookupOptions): Promise<void> {
  if (options.allowedOrigins.length > 0) {
    await app.register(cors, {
      origin: options.allowedOrigins.includes('*') ? '*' : [...options.allowedOrigins],
      methods: ['GET'],
      maxAge: 86_400,
    });
  }
  const errorHandler = callerSafeErrorHandler(app);

  app.get<{ Params: { zip: string }; Querystring: { lang?: string } }>(
    '/:zip',
    {
      errorHandler,
      schema: {
        params: { type: 'object', required: ['zip'], properties: { zip: routeParamProperties.zip } },
        querystring: { type: 'object', properties: { lang: routeParamProperties.lang } },
        response: { ...answerResponses, 304: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const outcome = resolveRoute(app, request, {
        zip: request.params.zip,
        ...(request.query.lang ? { lang: request.query.lang } : {}),
      });
      if (!outcome.ok) return reply.code(outcome.status).send(errorBody(outcome.code, outcome.message));
      // Widgets may cache an answer briefly: it changes with the dataset and as centers open and close.
      const etag = `"${outcome.answer.datasetVersion}-${fingerprint(outcome.answer)}"`;
      void reply.header('cache-control', 'public, max-age=60').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return sendAnswer(reply, outcome);
    },
  );
}

/** FNV-1a over the order and open state of the destinations. */
function fingerprint(answer: RouteAnswer): string {
  let hash = 0x811c9dc5;
  for (const d of answer.destinations) {
    const text = `${d.id}:${d.open ? 1 : 0};`;
    for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  return (hash >>> 0).toString(36);
}
