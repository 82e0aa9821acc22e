import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteParams } from '../../answer/routeQuery.js';
import { routeParamProperties } from '../../schemas.js';
import { resolveRoute } from '../../answer/lookup.js';
import { mayBeAwayFromExchange } from '../../../core/route.js';
import type { CallerSettings } from '../../callerSettings.js';
import type { TelephonyRefusal } from '../../rateLimit/rateLimits.js';

type Separator = 'newline' | 'comma';
type TextQuery = RouteParams & { sep?: Separator };

/** Why route.txt answered the national line alone instead of a routed chain (X-Route-Reason). */
export type TextFallback = 'invalidRequest' | 'invalidPhone' | 'rateLimited' | 'notReady' | 'internalError';

const FALLBACK_FOR_CODE: Record<string, TextFallback> = {
  invalid_request: 'invalidRequest',
  invalid_phone: 'invalidPhone',
  not_ready: 'notReady',
};

/**
 * GET /v1/route.txt: the numbers to dial, in order, one per line, for dialplans that can fetch a
 * URL (Asterisk's CURL(), FreeSWITCH's curl) but not parse JSON. Whatever happens, the body is
 * numbers to dial: a request that cannot be routed (bad input, rate-limited, tables not loaded,
 * internal fault) still gets the national line, with the reason in X-Route-Reason and a status
 * that says it. func_curl and mod_curl hand a dialplan the body whatever the status.
 */
export async function routeTextRoutes(app: FastifyInstance, settings: CallerSettings): Promise<void> {
  const text = routeText(app, settings);

  const errorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode ?? 500;
    if (error.validation || (status >= 400 && status < 500))
      return text.fallback(request, reply, error.validation ? 400 : status, 'invalidRequest', error.message);
    request.log.error(
      { err: { type: error.name, message: error.message } },
      'route.txt failed; answering with the national line',
    );
    return text.fallback(request, reply, 200, 'internalError');
  };

  app.get<{ Querystring: TextQuery }>(
    '/v1/route.txt',
    {
      errorHandler,
      schema: {
        querystring: {
          type: 'object',
          properties: { ...routeParamProperties, sep: { type: 'string', enum: ['newline', 'comma'] } },
        },
      },
    },
    async (request, reply) => {
      const { sep, ...params } = request.query;
      const outcome = resolveRoute(app, request, params);
      if (!outcome.ok) {
        const reason = FALLBACK_FOR_CODE[outcome.code] ?? 'invalidRequest';
        return text.fallback(request, reply, outcome.status, reason, outcome.message);
      }
      const answer = outcome.answer;
      void reply.header('x-needs-zip', String(answer.needsZip)).header('x-dataset-version', answer.datasetVersion);
      if (answer.reason !== null) void reply.header('x-route-reason', answer.reason);
      if (answer.lineType !== null) void reply.header('x-line-type', answer.lineType);
      // A dialplan may offer this caller a zip before dialling, as the Twilio flow does.
      void reply.header('x-offer-zip', String(settings.wirelessZipOffer && mayBeAwayFromExchange(answer)));
      if (answer.degraded) void reply.header('x-degraded', 'true').header('x-route-reason', 'internalError');
      return text.send(
        reply,
        200,
        answer.destinations.map((d) => d.phone),
        sep,
      );
    },
  );
}

/** The telephony rate limiter's refusal on route.txt: 429, and still the national line to dial. */
export function routeTextRefusal(app: FastifyInstance, settings: CallerSettings): TelephonyRefusal {
  const text = routeText(app, settings);
  return (request, reply) => text.fallback(request, reply, 429, 'rateLimited');
}

function routeText(app: FastifyInstance, settings: CallerSettings) {
  const send = (reply: FastifyReply, status: number, phones: readonly string[], sep?: unknown) =>
    reply
      .code(status)
      .type('text/plain; charset=utf-8')
      .header('cache-control', 'no-store')
      // Newline-separated by default; sep=comma suits Asterisk's SHIFT(), whose default delimiter is a comma.
      .send(phones.length === 0 ? '' : sep === 'comma' ? phones.join(',') : `${phones.join('\n')}\n`);

  /**
   * The national line alone: the loaded table's, or before any table is loaded the configured one
   * (NATIONAL_LINE, or data/'s when it may serve). Knowing none, the body is empty, status 503.
   */
  const fallback = (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    reason: TextFallback,
    message?: string,
  ) => {
    const table = app.tables.table;
    const national = table?.national.phone ?? settings.nationalLine;
    void reply.header('x-route-reason', reason).header('x-needs-zip', String(reason === 'invalidPhone'));
    if (table) void reply.header('x-dataset-version', table.version);
    if (reason === 'internalError') void reply.header('x-degraded', 'true');
    // Messages never carry the caller's number (core/phone.ts), and are plain ASCII.
    if (message !== undefined) void reply.header('x-route-error', message.replace(/[^\x20-\x7e]/g, '?'));
    const sep = (request.query as { sep?: unknown } | undefined)?.sep;
    return national === undefined ? send(reply, 503, [], sep) : send(reply, status, [national], sep);
  };

  return { send, fallback };
}
