import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Destination } from '../../../core/route.js';
import type { Center, RoutingTable } from '../../../core/types.js';
import { readFlowState, type FlowState, type Language } from '../../../twilio/flowState.js';
import { DEFAULT_WHISPERS } from '../../../twilio/prompts.js';
import { renderScreenStep, renderVoiceStep, type ScreenStep } from '../../../twilio/renderVoice.js';
import { isValidTwilioSignature, type FormParams } from '../../../twilio/signature.js';
import {
  legOutcome,
  nextVoiceStep,
  type CallRoutes,
  type Chain,
  type DialPolicy,
  type VoiceStep,
} from '../../../twilio/voiceFlow.js';
import type { CallerSettings } from '../../callerSettings.js';
import { errorBody } from '../../errors.js';
import { pathOnly } from '../../../observability/logging.js';
import { degradedAnswer } from '../../answer/routeAnswer.js';
import { resolveRoute } from '../../answer/lookup.js';

const E164_NANP = /^\+1\d{10}$/;
/** The caller is no longer on the line (Twilio's CallStatus on the parent call). */
const CALLER_GONE = new Set(['completed', 'canceled', 'busy', 'failed', 'no-answer']);

/**
 * POST /v1/twilio/voice: Twilio's (or a TwiML-compatible provider's) voice webhook. Every answer is
 * TwiML, even on an internal fault; only a request without a valid signature is refused.
 * POST /v1/twilio/screen: the whisper a screened center leg plays to whoever answers.
 */
export async function twilioRoutes(app: FastifyInstance, settings: CallerSettings): Promise<void> {
  await app.register(formbody);

  const baseUrl = (request: FastifyRequest) => settings.publicBaseUrl ?? `${request.protocol}://${request.host}`;
  const publicUrl = (request: FastifyRequest) => `${baseUrl(request)}${request.url}`;
  const sendTwiml = (reply: FastifyReply, twiml: string) =>
    reply.code(200).type('text/xml; charset=utf-8').header('cache-control', 'no-store').send(twiml);
  const render = (request: FastifyRequest, step: VoiceStep) => {
    const to = param(request.body as FormParams | undefined, 'To');
    return renderVoiceStep(step, {
      webhookUrl: pathOnly(publicUrl(request)),
      screenUrl: `${baseUrl(request)}/v1/twilio/screen`,
      // Centers see the hotline's number, never the caller's.
      callerId: to !== undefined && E164_NANP.test(to) ? to : undefined,
    });
  };

  const signed: preHandlerAsyncHookHandler = async (request, reply) => {
    if (settings.twilioAuthToken === undefined) return;
    const signature = request.headers['x-twilio-signature'];
    if (
      isValidTwilioSignature(
        settings.twilioAuthToken,
        publicUrl(request),
        (request.body as FormParams | undefined) ?? {},
        typeof signature === 'string' ? signature : undefined,
      )
    )
      return;
    request.log.warn({ signed: signature !== undefined }, 'twilio webhook refused: signature missing or invalid');
    return reply.code(403).send(errorBody('forbidden', 'X-Twilio-Signature is missing or does not match this request'));
  };

  const screenCenters = settings.screenCenters ?? true;
  const screenNational = settings.screenNational ?? false;
  const policy = (table: RoutingTable | null): DialPolicy => ({
    maxCenters: settings.maxCenters ?? 3,
    ringBudgetSeconds: settings.ringBudgetSeconds ?? 60,
    dialTimeoutSeconds: settings.dialTimeoutSeconds,
    nowSeconds: Math.floor(app.routeClock().nowMs / 1000),
    screens: (d: Destination) =>
      d.kind === 'national' ? screenNational : screenCenters && (centerById(table, d.id)?.screened ?? true),
  });

  /** The national line, from the table or else the NATIONAL_LINE setting; `otherwise` when neither is known. */
  const dialNational = (state: FlowState, otherwise: VoiceStep): VoiceStep => {
    const table = app.tables.table;
    const national: Destination | null = table
      ? degradedAnswer(table).destinations[0]!
      : settings.nationalLine
        ? { ...NATIONAL_FROM_SETTINGS, phone: settings.nationalLine }
        : null;
    if (national === null) return otherwise;
    return {
      kind: 'dial',
      destination: national,
      next: { ...state, step: 'dial', first: null, zip: null, national: true, tried: [...state.tried, national.id] },
      announce: 'none',
      timeoutSeconds: settings.dialTimeoutSeconds,
      screened: false,
    };
  };

  // The screen route has its own error handler (below); this one is the caller's.
  await app.register(async (voice) => {
    voice.setErrorHandler((error: FastifyError, request, reply) => {
      request.log.error(
        { err: { type: error.name, code: error.code, message: error.message } },
        'twilio voice failed; dialling the national line',
      );
      const state = readFlowState(request.query, settings.defaultLanguage);
      return sendTwiml(reply, render(request, dialNational(state, { kind: 'unavailable', lang: state.lang })));
    });

    // No body schema: Twilio adds parameters over time, and a malformed one must still get TwiML.
    voice.post<{ Body: FormParams }>('/v1/twilio/voice', { preHandler: signed }, async (request, reply) => {
      const body = request.body ?? {};
      const state = readFlowState(request.query, settings.defaultLanguage);
      const dialStatus = param(body, 'DialCallStatus');
      const dialBridged = param(body, 'DialBridged');
      if (state.step === 'dial') recordLeg(app, state, dialStatus, dialBridged, param(body, 'CallStatus'));
      const table = app.tables.table;
      const planned = nextVoiceStep({
        state,
        digits: param(body, 'Digits'),
        dialStatus,
        dialBridged,
        routes: callRoutes(app, request, param(body, 'From'), state),
        wirelessZipOffer: settings.wirelessZipOffer,
        policy: policy(table),
      });
      // No tables after the holds: the national line from settings, where one is known, rather than a goodbye.
      const step = planned.kind === 'unavailable' ? dialNational(state, planned) : planned;
      request.log.info(
        {
          voice: {
            step: state.step,
            next: step.kind,
            rung: state.tried.length,
            prompts: state.prompts,
            lang: state.lang,
            ...(step.kind === 'dial' ? { ring: step.timeoutSeconds, screened: step.screened } : {}),
          },
        },
        'twilio voice step',
      );
      return sendTwiml(reply, render(request, step));
    });
  });

  await app.register(async (screen) => {
    // A fault here must not drop the leg: whoever answered is put through, as without screening.
    screen.setErrorHandler((error: FastifyError, request, reply) => {
      request.log.error(
        { err: { type: error.name, code: error.code, message: error.message } },
        'twilio screen failed; connecting the leg',
      );
      return sendTwiml(reply, renderScreenStep({ kind: 'accept' }));
    });

    screen.post<{ Body: FormParams; Querystring: Record<string, unknown> }>(
      '/v1/twilio/screen',
      { preHandler: signed },
      async (request, reply) => {
        const lang: Language = readFlowState(request.query, settings.defaultLanguage).lang;
        const keyed = request.query.step === 'key';
        const pressed = param(request.body, 'Digits');
        const step: ScreenStep = !keyed
          ? {
              kind: 'whisper',
              lang,
              text: (settings.whispers ?? DEFAULT_WHISPERS)[lang],
              keyUrl: `${baseUrl(request)}/v1/twilio/screen?${new URLSearchParams({ lang, step: 'key' })}`,
            }
          : { kind: pressed?.trim() === '1' ? 'accept' : 'decline' };
        request.log.info({ screen: { step: keyed ? 'key' : 'whisper', next: step.kind, lang } }, 'twilio screen step');
        return sendTwiml(reply, renderScreenStep(step));
      },
    );
  });
}

function param(body: FormParams | undefined, name: string): string | undefined {
  const value = body?.[name];
  return Array.isArray(value) ? value[0] : value;
}

const centersById = new WeakMap<RoutingTable, Map<string, Center>>();

function centerById(table: RoutingTable | null, id: string): Center | undefined {
  if (!table) return undefined;
  let byId = centersById.get(table);
  if (!byId) {
    byId = new Map(table.centers.map((c) => [c.id, c]));
    centersById.set(table, byId);
  }
  return byId.get(id);
}

/**
 * How the center leg just rung ended, counted by center id for ops. The national line is not a
 * center; a leg the caller hung up on while it rang says nothing of the center.
 */
function recordLeg(
  app: FastifyInstance,
  state: FlowState,
  dialStatus: string | undefined,
  dialBridged: string | undefined,
  callStatus: string | undefined,
): void {
  const centerId = state.tried.at(-1);
  const outcome = legOutcome(dialStatus, dialBridged);
  if (centerId === undefined || outcome === null) return;
  if (centerById(app.tables.table, centerId)?.kind !== 'affiliate') return;
  if (outcome !== 'answered' && callStatus !== undefined && CALLER_GONE.has(callStatus)) return;
  app.callOutcomes.record(centerId, outcome);
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

/** The national line when no table is loaded: only its number is known (NATIONAL_LINE). */
const NATIONAL_FROM_SETTINGS: Destination = {
  id: 'national',
  kind: 'national',
  name: 'National line',
  phone: '',
  state: null,
  distanceKm: null,
  open: true,
  hours: '24/7',
  timeZone: 'UTC',
  languages: [],
};
