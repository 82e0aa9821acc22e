import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteParams } from '../../answer/routeQuery.js';
import { answerResponses, callerSafeErrorHandler, resolveRoute, sendAnswer } from '../../answer/lookup.js';
import { errorBody } from '../../errors.js';
import { routeParamProperties } from '../../schemas.js';

/** The route API: GET with a query string, or POST with the same fields as JSON. */
export async function routeApiRoutes(app: FastifyInstance): Promise<void> {
  const errorHandler = callerSafeErrorHandler(app);
  const send = (request: FastifyRequest, reply: FastifyReply, params: RouteParams) => {
    const outcome = resolveRoute(app, request, params);
    if (!outcome.ok) return reply.code(outcome.status).send(errorBody(outcome.code, outcome.message));
    return sendAnswer(reply, outcome);
  };

  app.get<{ Querystring: RouteParams }>(
    '/v1/route',
    {
      errorHandler,
      schema: { querystring: { type: 'object', properties: routeParamProperties }, response: answerResponses },
    },
    async (request, reply) => send(request, reply, request.query),
  );

  app.post<{ Body: RouteParams }>(
    '/v1/route',
    { errorHandler, schema: { body: { type: 'object', properties: routeParamProperties }, response: answerResponses } },
    async (request, reply) => send(request, reply, request.body),
  );
}
