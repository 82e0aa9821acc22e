import { mayBeAwayFromExchange, type Destination, type RouteDecision } from '../core/route.js';
import type { LegOutcome } from '../observability/callOutcomes.js';
import type { FlowState, Language } from './flowState.js';

/** What the flow needs from a route answer. */
export type Chain = Pick<RouteDecision, 'destinations' | 'needsZip' | 'reason' | 'place' | 'lineType'>;

/** Route lookups for this call; null when no routing tables are loaded yet. */
export type CallRoutes = {
  /** The route for the caller's own number (Twilio's From). */
  byCaller(): Chain;
  byZip(zip: string): Chain;
} | null;

/** How legs are dialled: which centers, for how long, and whether whoever answers is screened. */
export type DialPolicy = {
  /** At most this many centers ring before the national line. */
  maxCenters: number;
  /** Centers ring for at most this long in all, counted from the first one, before the national line. */
  ringBudgetSeconds: number;
  /** How long one leg rings at most. */
  dialTimeoutSeconds: number;
  /** Now, in seconds since the epoch: the ring budget's clock. */
  nowSeconds: number;
  /** Whether a leg to this destination carries the whisper and connects only on a key. */
  screens(destination: Destination): boolean;
};

export type VoiceInput = {
  state: FlowState;
  /** Keys pressed at a zip prompt (Twilio's Digits). */
  digits: string | undefined;
  /** How the last dialled leg ended (Twilio's DialCallStatus). */
  dialStatus: string | undefined;
  /** Whether the last dialled leg was bridged to the caller (Twilio's DialBridged, "true" or "false"). */
  dialBridged: string | undefined;
  routes: CallRoutes;
  /** Offer a zip to a wireless caller placed by exchange before ringing their exchange's chain. */
  wirelessZipOffer: boolean;
  policy: DialPolicy;
};

export type ZipRetry = 'none' | 'invalid' | 'unknownZip';

export type VoiceStep =
  | {
      kind: 'dial';
      destination: Destination;
      next: FlowState;
      announce: 'none' | 'rollover';
      timeoutSeconds: number;
      screened: boolean;
    }
  | { kind: 'askZip'; next: FlowState; retry: ZipRetry; abroad: boolean }
  /** The four keys after the first; `window`: the first key was a choice (0, 9) that acts if none follow. */
  | { kind: 'zipRest'; next: FlowState; window: boolean }
  | { kind: 'offerZip'; next: FlowState }
  | { kind: 'goodbye'; lang: Language }
  | { kind: 'exhausted'; national: Destination | null; lang: Language }
  | { kind: 'hold'; next: FlowState }
  | { kind: 'unavailable'; lang: Language };

/** A caller hears at most this many zip prompts: the first, and one more after a bad entry. */
export const MAX_ZIP_PROMPTS = 2;
/** How many times a call is held (a few seconds each) while routing tables load. */
export const MAX_HOLDS = 3;
/** A center is not worth ringing for less than this (two ring cycles); the national line rings instead. */
export const MIN_RING_SECONDS = 10;

/**
 * How a leg ended, as the outcomes ops count. A leg that was answered but not bridged hung up
 * during the whisper: Twilio reports it completed, with DialBridged=false. Without DialBridged
 * (other TwiML providers) the status is taken at its word. null: nothing to count (canceled).
 */
export function legOutcome(dialStatus: string | undefined, dialBridged: string | undefined): LegOutcome | null {
  switch (dialStatus) {
    case 'completed':
    case 'answered':
      return dialBridged === 'false' ? 'screened-out' : 'answered';
    case 'no-answer':
    case 'busy':
    case 'failed':
      return dialStatus;
    default:
      return null;
  }
}

/**
 * The next thing to do on a call, from the webhook's state and parameters alone, so a callback can
 * land on any instance. The chain is recomputed on every callback: after a table reload the call
 * continues down the new chain, skipping what it already rang.
 */
export function nextVoiceStep(input: VoiceInput): VoiceStep {
  const { state, routes, policy } = input;
  if (routes === null)
    return state.waits < MAX_HOLDS
      ? { kind: 'hold', next: { ...state, waits: state.waits + 1 } }
      : { kind: 'unavailable', lang: state.lang };

  switch (state.step) {
    case 'start': {
      const chain = routes.byCaller();
      if (chain.needsZip) return askZip(chain, { ...state, step: 'zip', prompts: 1 }, 'none');
      if (input.wirelessZipOffer && mayBeAwayFromExchange(chain))
        return { kind: 'offerZip', next: { ...state, step: 'offer' } };
      return dialNext(chain, state, 'none', policy);
    }
    case 'offer':
      return afterZipOffer(routes, state, (input.digits ?? '').trim(), policy);
    case 'zip':
      return afterZipKeys(routes, state, (input.digits ?? '').trim(), policy);
    case 'dial':
      if (legOutcome(input.dialStatus, input.dialBridged) === 'answered') return { kind: 'goodbye', lang: state.lang };
      // no-answer, busy, failed, canceled, screened out, or a status we don't know: the caller is still waiting.
      return dialNext(chainFor(routes, state), state, 'rollover', policy);
  }
}

function askZip(chain: Chain, next: FlowState, retry: ZipRetry): VoiceStep {
  const abroad = chain.reason === 'outsideUS' || chain.reason === 'outsideNanp';
  return { kind: 'askZip', next: { ...next, first: null }, retry, abroad };
}

/**
 * The prompt gathers one key, so that 0 and 9 act at once; any other first key gathers four more.
 * As zips begin with 0 and 9 too, those two wait a moment for more keys before acting as choices.
 */
function afterZipKeys(
  routes: NonNullable<CallRoutes>,
  state: FlowState,
  digits: string,
  policy: DialPolicy,
): VoiceStep {
  const spanishOffered = state.lang === 'en';
  if (state.first === null) {
    // Silence: the national line (or the caller's state), never the same prompt again.
    if (digits === '') return bestWithoutZip(routes, state, policy);
    if (/^\d{5}$/.test(digits)) return dialZip(routes, state, digits, policy);
    if (!/^\d$/.test(digits)) return badEntry(routes, state, 'invalid', policy);
    const choice = digits === '0' || (digits === '9' && spanishOffered);
    return { kind: 'zipRest', next: { ...state, first: digits }, window: choice };
  }
  const entered = { ...state, first: null };
  if (digits === '' && state.first === '0')
    return dialNext(nationalOnly(routes.byCaller()), { ...entered, national: true }, 'none', policy);
  // A choice of language, not an attempt: the same prompt again, in Spanish.
  if (digits === '' && state.first === '9' && spanishOffered)
    return askZip(routes.byCaller(), { ...entered, lang: 'es' }, 'none');
  const zip = state.first + digits;
  return /^\d{5}$/.test(zip) ? dialZip(routes, entered, zip, policy) : badEntry(routes, entered, 'invalid', policy);
}

function dialZip(routes: NonNullable<CallRoutes>, state: FlowState, zip: string, policy: DialPolicy): VoiceStep {
  const chain = routes.byZip(zip);
  if (chain.destinations[0]?.kind === 'affiliate') return dialNext(chain, { ...state, zip }, 'none', policy);
  return badEntry(routes, state, 'unknownZip', policy);
}

/** A zip that places the caller routes by it; anything else (silence included) rings the exchange's chain at once. */
function afterZipOffer(
  routes: NonNullable<CallRoutes>,
  state: FlowState,
  digits: string,
  policy: DialPolicy,
): VoiceStep {
  if (/^\d{5}$/.test(digits)) {
    const chain = routes.byZip(digits);
    if (chain.destinations[0]?.kind === 'affiliate') return dialNext(chain, { ...state, zip: digits }, 'none', policy);
  }
  return dialNext(routes.byCaller(), state, 'none', policy);
}

/** One more prompt after a bad entry; after that, the best we know without a zip. */
function badEntry(routes: NonNullable<CallRoutes>, state: FlowState, retry: ZipRetry, policy: DialPolicy): VoiceStep {
  if (state.prompts < MAX_ZIP_PROMPTS)
    return askZip(routes.byCaller(), { ...state, prompts: state.prompts + 1 }, retry);
  return bestWithoutZip(routes, state, policy);
}

/** The caller's state when the area code told us that much (areaCodeOnly), otherwise the national line. */
function bestWithoutZip(routes: NonNullable<CallRoutes>, state: FlowState, policy: DialPolicy): VoiceStep {
  const chain = routes.byCaller();
  const next = { ...state, first: null };
  if (chain.reason === 'areaCodeOnly') return dialNext(chain, next, 'none', policy);
  return dialNext(nationalOnly(chain), { ...next, national: true }, 'none', policy);
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

/**
 * The next open center not yet rung (by id or by number), while the call is within the center
 * limit and the ring budget; then the national line, which rings its full timeout.
 */
function dialNext(chain: Chain, state: FlowState, announce: 'none' | 'rollover', policy: DialPolicy): VoiceStep {
  const tried = new Set(state.tried);
  const triedPhones = new Set(chain.destinations.filter((d) => tried.has(d.id)).map((d) => d.phone));
  const fresh = (d: Destination) => !tried.has(d.id) && !triedPhones.has(d.phone);
  const national = chain.destinations.at(-1) ?? null;
  const next = (d: Destination, until: number | null): FlowState => ({
    ...state,
    step: 'dial',
    tried: [...state.tried, d.id],
    until,
  });

  const centersRung = state.tried.filter((id) => id !== national?.id).length;
  const left = state.until === null ? policy.ringBudgetSeconds : state.until - policy.nowSeconds;
  if (
    !state.national &&
    centersRung < policy.maxCenters &&
    left >= Math.min(MIN_RING_SECONDS, policy.dialTimeoutSeconds)
  ) {
    const center = chain.destinations.find((d) => d.kind === 'affiliate' && d.open && fresh(d));
    if (center) {
      const until = state.until ?? policy.nowSeconds + policy.ringBudgetSeconds;
      const timeoutSeconds = Math.min(policy.dialTimeoutSeconds, left);
      return {
        kind: 'dial',
        destination: center,
        next: next(center, until),
        announce,
        timeoutSeconds,
        screened: policy.screens(center),
      };
    }
  }
  if (national && fresh(national))
    return {
      kind: 'dial',
      destination: national,
      next: next(national, state.until),
      announce,
      timeoutSeconds: policy.dialTimeoutSeconds,
      screened: policy.screens(national),
    };
  return { kind: 'exhausted', national, lang: state.lang };
}
