import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { route as routeCall } from '../../core/route.js';
import type { RoutingTable } from '../../core/types.js';
import { toRouteQuery, type RouteParams } from './routeQuery.js';
import { degradedAnswer, toRouteAnswer, type RouteAnswer } from './routeAnswer.js';
import { routeAnswerJson } from './routeAnswerJson.js';
import { handleError } from '../errors.js';

// One route question answered for the JSON, text, Twilio and widget routes alike.

export type RouteOutcome =
  { ok: true; answer: RouteAnswer; table: RoutingTable } | { ok: false; status: number; code: string; message: string };

export const answerResponses = {
  200: { $ref: 'RouteAnswer#' },
  '4xx': { $ref: 'ErrorAnswer#' },
  503: { $ref: 'ErrorAnswer#' },
};

/** Answer one route question. An unexpected fault in routing still answers with the national line. */
export function resolveRoute(app: FastifyInstance, request: FastifyRequest, params: RouteParams): RouteOutcome {
  const query = toRouteQuery(params);
  if (!query.ok) return { ok: false, status: 400, code: 'invalid_request', message: query.message };
  const table = app.tables.table;
  if (!table) return { ok: false, status: 503, code: 'not_ready', message: 'routing tables are not loaded yet' };
  try {
    const result = routeCall(table, query.query, app.openCenters(table));
    if ('kind' in result) return { ok: false, status: 400, code: 'invalid_phone', message: result.message };
    request.routing = {
      method: result.method,
      needsZip: result.needsZip,
      national: result.destinations[0]!.kind === 'national',
      callerPrefix: result.callerPrefix,
      degraded: false,
    };
    return { ok: true, answer: toRouteAnswer(result), table };
  } catch (error) {
    request.log.error(
      { err: { type: (error as Error).name, message: (error as Error).message } },
      'routing failed; answering with the national line',
    );
    request.routing = { method: 'none', needsZip: false, national: true, callerPrefix: null, degraded: true };
    return { ok: true, answer: degradedAnswer(table), table };
  }
}

/** Errors after validation on a caller-facing route still give the caller the national line. */
export function callerSafeErrorHandler(app: FastifyInstance) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode ?? 500;
    const table = app.tables.table;
    if (error.validation || (status >= 400 && status < 500) || !table) return handleError(error, request, reply);
    request.log.error(
      { err: { type: error.name, message: error.message } },
      'route failed; answering with the national line',
    );
    void reply.code(200).send(degradedAnswer(table));
  };
}

/** A route answer as JSON, written from the table's prepared pieces (routeAnswerJson.ts). */
export function sendAnswer(reply: FastifyReply, outcome: Extract<RouteOutcome, { ok: true }>): FastifyReply {
  return reply.type(JSON_TYPE).send(routeAnswerJson(outcome.table, outcome.answer));
}

const JSON_TYPE = 'application/json; charset=utf-8';
