import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteParams } from '../../answer/routeQuery.js';
import { degradedAnswer } from '../../answer/routeAnswer.js';
import { routeParamProperties } from '../../schemas.js';
import { resolveRoute } from '../../answer/lookup.js';
import { mayBeAwayFromExchange } from '../../../core/route.js';
import type { CallerSettings } from '../../callerSettings.js';

type Separator = 'newline' | 'comma';
type TextQuery = RouteParams & { sep?: Separator };

/**
 * GET /v1/route.txt: the numbers to dial, in order, one per line, for dialplans that can fetch a
 * URL (Asterisk's CURL(), FreeSWITCH's curl) but not parse JSON. Whether a zip would place the
 * caller better travels in headers, so the body is always just numbers.
 */
export async function routeTextRoutes(app: FastifyInstance, settings: CallerSettings): Promise<void> {
  const sendText = (reply: FastifyReply, status: number, text: string) =>
    reply.code(status).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(text);
  // Newline-separated by default; sep=comma suits Asterisk's SHIFT(), whose default delimiter is a comma.
  const numbers = (phones: string[], sep?: Separator) =>
    sep === 'comma' ? phones.join(',') : `${phones.join('\n')}\n`;

  const errorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const status = error.statusCode ?? 500;
    if (error.validation || (status >= 400 && status < 500))
      return sendText(reply, error.validation ? 400 : status, `${error.message}\n`);
    const table = app.tables.table;
    if (!table) return sendText(reply, 503, 'routing tables are not loaded yet\n');
    request.log.error(
      { err: { type: error.name, message: error.message } },
      'route.txt failed; answering with the national line',
    );
    void reply.header('x-degraded', 'true');
    return sendText(
      reply,
      200,
      numbers(
        degradedAnswer(table).destinations.map((d) => d.phone),
        (request.query as TextQuery | undefined)?.sep,
      ),
    );
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
      if (!outcome.ok) return sendText(reply, outcome.status, `${outcome.message}\n`);
      const answer = outcome.answer;
      void reply.header('x-needs-zip', String(answer.needsZip)).header('x-dataset-version', answer.datasetVersion);
      if (answer.reason !== null) void reply.header('x-route-reason', answer.reason);
      if (answer.lineType !== null) void reply.header('x-line-type', answer.lineType);
      // A dialplan may offer this caller a zip before dialling, as the Twilio flow does.
      void reply.header('x-offer-zip', String(settings.wirelessZipOffer && mayBeAwayFromExchange(answer)));
      if (answer.degraded) void reply.header('x-degraded', 'true');
      return sendText(
        reply,
        200,
        numbers(
          answer.destinations.map((d) => d.phone),
          sep,
        ),
      );
    },
  );
}
