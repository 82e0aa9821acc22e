import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { readFlowState, type FlowState } from '../../../twilio/flowState.js';
import { renderVoiceStep } from '../../../twilio/renderVoice.js';
import { isValidTwilioSignature, type FormParams } from '../../../twilio/signature.js';
import { nextVoiceStep, type CallRoutes, type Chain, type VoiceStep } from '../../../twilio/voiceFlow.js';
import type { CallerSettings } from '../../callerSettings.js';
import { errorBody } from '../../errors.js';
import { pathOnly } from '../../../observability/logging.js';
import { degradedAnswer } from '../../answer/routeAnswer.js';
import { resolveRoute } from '../../answer/lookup.js';

const E164_NANP = /^\+1\d{10}$/;

/**
 * POST /v1/twilio/voice: Twilio's (or a TwiML-compatible provider's) voice webhook. Every answer is
 * TwiML, even on an internal fault; only a request without a valid signature is refused.
 */
export async function twilioRoutes(app: FastifyInstance, settings: CallerSettings): Promise<void> {
  await app.register(formbody);

  const publicUrl = (request: FastifyRequest) =>
    `${settings.publicBaseUrl ?? `${request.protocol}://${request.host}`}${request.url}`;
  const sendTwiml = (reply: FastifyReply, twiml: string) =>
    reply.code(200).type('text/xml; charset=utf-8').header('cache-control', 'no-store').send(twiml);
  const render = (request: FastifyRequest, step: VoiceStep) => {
    const to = param(request.body as FormParams | undefined, 'To');
    return renderVoiceStep(step, {
      webhookUrl: pathOnly(publicUrl(request)),
      dialTimeoutSeconds: settings.dialTimeoutSeconds,
      // Centers see the hotline's number, never the caller's.
      callerId: to !== undefined && E164_NANP.test(to) ? to : undefined,
    });
  };

  app.setErrorHandler((error: FastifyError, request, reply) => {
    request.log.error(
      { err: { type: error.name, code: error.code, message: error.message } },
      'twilio voice failed; dialling the national line',
    );
    const state = readFlowState(request.query, settings.defaultLanguage);
    const table = app.tables.table;
    const national = table ? degradedAnswer(table).destinations[0]! : null;
    const step: VoiceStep = national
      ? {
          kind: 'dial',
          destination: national,
          next: { ...state, step: 'dial', zip: null, national: true, tried: [...state.tried, national.id] },
          announce: 'none',
        }
      : { kind: 'unavailable', lang: state.lang };
    return sendTwiml(reply, render(request, step));
  });

  app.post<{ Body: FormParams }>(
    '/v1/twilio/voice',
    {
      // No body schema: Twilio adds parameters over time, and a malformed one must still get TwiML.
      preHandler: async (request, reply) => {
        if (settings.twilioAuthToken === undefined) return;
        const signature = request.headers['x-twilio-signature'];
        if (
          isValidTwilioSignature(
            settings.twilioAuthToken,
            publicUrl(request),
            request.body ?? {},
            typeof signature === 'string' ? signature : undefined,
          )
        )
          return;
        request.log.warn({ signed: signature !== undefined }, 'twilio webhook refused: signature missing or invalid');
        return reply
          .code(403)
          .send(errorBody('forbidden', 'X-Twilio-Signature is missing or does not match this request'));
      },
    },
    async (request, reply) => {
      const body = request.body ?? {};
      const state = readFlowState(request.query, settings.defaultLanguage);
      const step = nextVoiceStep({
        state,
        digits: param(body, 'Digits'),
        dialStatus: param(body, 'DialCallStatus'),
        routes: callRoutes(app, request, param(body, 'From'), state),
        wirelessZipOffer: settings.wirelessZipOffer,
      });
      request.log.info(
        {
          voice: {
            step: state.step,
            next: step.kind,
            rung: state.tried.length,
            prompts: state.prompts,
            lang: state.lang,
          },
        },
        'twilio voice step',
      );
      return sendTwiml(reply, render(request, step));
    },
  );
}

function param(body: FormParams | undefined, name: string): string | undefined {
  const value = body?.[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Route lookups for this call, through the same path as the route API. */
function callRoutes(
  app: FastifyInstance,
  request: FastifyRequest,
  from: string | undefined,
  state: FlowState,
): CallRoutes {
  const table = app.tables.table;
  if (!table) return null;
  // What routing can't read (a SIP URI, a client name) is treated like a withheld number: ask for a zip.
  const unplaced = (): Chain => ({
    destinations: degradedAnswer(table).destinations,
    needsZip: true,
    reason: 'withheld',
    place: null,
    lineType: null,
  });
  const lookup = (params: { phone: string } | { zip: string }): Chain | null => {
    const outcome = resolveRoute(app, request, { ...params, lang: state.lang });
    return outcome.ok ? outcome.answer : null;
  };
  return {
    byCaller: () => (from === undefined || from.length > 64 ? unplaced() : (lookup({ phone: from }) ?? unplaced())),
    byZip: (zip) => lookup({ zip }) ?? { ...unplaced(), needsZip: false, reason: 'unknownZip' },
  };
}
