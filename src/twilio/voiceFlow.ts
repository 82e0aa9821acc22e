import { mayBeAwayFromExchange, type Destination, type RouteDecision } from '../core/route.js';
import type { FlowState, Language } from './flowState.js';

/** What the flow needs from a route answer. */
export type Chain = Pick<RouteDecision, 'destinations' | 'needsZip' | 'reason' | 'place' | 'lineType'>;

/** Route lookups for this call; null when no routing tables are loaded yet. */
export type CallRoutes = {
  /** The route for the caller's own number (Twilio's From). */
  byCaller(): Chain;
  byZip(zip: string): Chain;
} | null;

export type VoiceInput = {
  state: FlowState;
  /** Keys pressed at a zip prompt (Twilio's Digits). */
  digits: string | undefined;
  /** How the last dialled leg ended (Twilio's DialCallStatus). */
  dialStatus: string | undefined;
  routes: CallRoutes;
  /** Offer a zip to a wireless caller placed by exchange before ringing their exchange's chain. */
  wirelessZipOffer: boolean;
};

export type ZipRetry = 'none' | 'noInput' | 'invalid' | 'unknownZip';

export type VoiceStep =
  | { kind: 'dial'; destination: Destination; next: FlowState; announce: 'none' | 'rollover' }
  | { kind: 'askZip'; next: FlowState; retry: ZipRetry }
  | { kind: 'offerZip'; next: FlowState }
  | { kind: 'goodbye'; lang: Language }
  | { kind: 'exhausted'; national: Destination | null; lang: Language }
  | { kind: 'hold'; next: FlowState }
  | { kind: 'unavailable'; lang: Language };

/** A caller hears at most this many zip prompts: the first, and one more after a bad entry. */
export const MAX_ZIP_PROMPTS = 2;
/** How many times a call is held (a few seconds each) while routing tables load. */
export const MAX_HOLDS = 3;

const CONNECTED = new Set(['completed', 'answered']);

/**
 * The next thing to do on a call, from the webhook's state and parameters alone, so a callback can
 * land on any instance. The chain is recomputed on every callback: after a table reload the call
 * continues down the new chain, skipping what it already rang.
 */
export function nextVoiceStep(input: VoiceInput): VoiceStep {
  const { state, routes } = input;
  if (routes === null)
    return state.waits < MAX_HOLDS
      ? { kind: 'hold', next: { ...state, waits: state.waits + 1 } }
      : { kind: 'unavailable', lang: state.lang };

  switch (state.step) {
    case 'start': {
      const chain = routes.byCaller();
      if (chain.needsZip) return { kind: 'askZip', next: { ...state, step: 'zip', prompts: 1 }, retry: 'none' };
      if (input.wirelessZipOffer && mayBeAwayFromExchange(chain))
        return { kind: 'offerZip', next: { ...state, step: 'offer' } };
      return dialNext(chain, state, 'none');
    }
    case 'offer':
      return afterZipOffer(routes, state, (input.digits ?? '').trim());
    case 'zip':
      return afterZipPrompt(routes, state, (input.digits ?? '').trim());
    case 'dial':
      if (input.dialStatus !== undefined && CONNECTED.has(input.dialStatus))
        return { kind: 'goodbye', lang: state.lang };
      // no-answer, busy, failed, canceled, or a status we don't know: the caller is still waiting.
      return dialNext(chainFor(routes, state), state, 'rollover');
  }
}

function afterZipPrompt(routes: NonNullable<CallRoutes>, state: FlowState, digits: string): VoiceStep {
  if (digits === '0') return dialNext(nationalOnly(routes.byCaller()), { ...state, national: true }, 'none');
  // A choice of language, not an attempt: the same prompt again, in Spanish.
  if (digits === '9' && state.lang === 'en') return { kind: 'askZip', next: { ...state, lang: 'es' }, retry: 'none' };
  if (/^\d{5}$/.test(digits)) {
    const chain = routes.byZip(digits);
    if (chain.destinations[0]?.kind === 'affiliate') return dialNext(chain, { ...state, zip: digits }, 'none');
    return badEntry(routes, state, 'unknownZip');
  }
  return badEntry(routes, state, digits === '' ? 'noInput' : 'invalid');
}

/** A zip that places the caller routes by it; anything else (silence included) rings the exchange's chain at once. */
function afterZipOffer(routes: NonNullable<CallRoutes>, state: FlowState, digits: string): VoiceStep {
  if (/^\d{5}$/.test(digits)) {
    const chain = routes.byZip(digits);
    if (chain.destinations[0]?.kind === 'affiliate') return dialNext(chain, { ...state, zip: digits }, 'none');
  }
  return dialNext(routes.byCaller(), state, 'none');
}

/**
 * One more prompt; after that, the best we know without a zip: the caller's state when the area
 * code told us that much (areaCodeOnly), otherwise the national line.
 */
function badEntry(routes: NonNullable<CallRoutes>, state: FlowState, retry: ZipRetry): VoiceStep {
  if (state.prompts < MAX_ZIP_PROMPTS) return { kind: 'askZip', next: { ...state, prompts: state.prompts + 1 }, retry };
  const chain = routes.byCaller();
  if (chain.reason === 'areaCodeOnly') return dialNext(chain, state, 'none');
  return dialNext(nationalOnly(chain), { ...state, national: true }, 'none');
}

function chainFor(routes: NonNullable<CallRoutes>, state: FlowState): Chain {
  if (state.zip !== null) return routes.byZip(state.zip);
  const chain = routes.byCaller();
  return state.national ? nationalOnly(chain) : chain;
}

/** Every chain ends with the national line. */
function nationalOnly(chain: Chain): Chain {
  return { ...chain, destinations: chain.destinations.slice(-1) };
}

/** The first destination not yet rung, by id or by number. */
function dialNext(chain: Chain, state: FlowState, announce: 'none' | 'rollover'): VoiceStep {
  const tried = new Set(state.tried);
  const triedPhones = new Set(chain.destinations.filter((d) => tried.has(d.id)).map((d) => d.phone));
  const destination = chain.destinations.find((d) => !tried.has(d.id) && !triedPhones.has(d.phone));
  if (!destination) return { kind: 'exhausted', national: chain.destinations.at(-1) ?? null, lang: state.lang };
  return {
    kind: 'dial',
    destination,
    next: { ...state, step: 'dial', tried: [...state.tried, destination.id] },
    announce,
  };
}
