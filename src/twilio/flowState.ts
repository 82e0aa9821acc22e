import { z } from 'zod';

/**
 * Where a call is in the voice flow, carried from one webhook to the next in the action URL's
 * query so that any instance can answer any callback. It never holds the caller's number: Twilio
 * posts From with every callback, and URLs end up in logs.
 */
export type Language = 'en' | 'es';

export type FlowState = {
  /** start: a new call. zip: keys pressed at a zip prompt. offer: to the zip offer. dial: a dialled leg ended. */
  step: 'start' | 'zip' | 'offer' | 'dial';
  lang: Language;
  /** How many zip prompts the caller has heard. */
  prompts: number;
  /** The first key pressed at a zip prompt, while the other four are gathered. */
  first: string | null;
  /** The zip the caller entered; the chain is recomputed from it on every callback. */
  zip: string | null;
  /** The caller pressed 0 for the national line. */
  national: boolean;
  /** Ids of the destinations already dialled, so none rings twice. */
  tried: string[];
  /** How many times the call has been held because routing tables were not loaded yet. */
  waits: number;
  /** When the ring budget for centers runs out (seconds since the epoch); null until the first center rings. */
  until: number | null;
};

const count = z.coerce.number().int().min(0).max(9).catch(0);
const MAX_TRIED_LENGTH = 2000;
const TOO_MANY_TRIED: string[] = [];

// A tampered or stale query degrades to defaults rather than failing a caller.
const StateQuery = z.object({
  step: z.enum(['start', 'zip', 'offer', 'dial']).catch('start'),
  lang: z
    .string()
    .transform((v) => v.slice(0, 2).toLowerCase())
    .pipe(z.enum(['en', 'es']))
    .optional()
    .catch(undefined),
  prompts: count,
  first: z.string().regex(/^\d$/).optional().catch(undefined),
  zip: z
    .string()
    .regex(/^\d{5}$/)
    .optional()
    .catch(undefined),
  to: z.literal('national').optional().catch(undefined),
  // Longer than any real chain (about 15 ids of at most 64 characters): treated as exhausted below.
  tried: z
    .string()
    .max(MAX_TRIED_LENGTH)
    .transform((v) => v.split(',').filter((id) => /^[a-z0-9][a-z0-9._-]{0,63}$/.test(id)))
    .optional()
    .catch(TOO_MANY_TRIED),
  wait: count,
  until: z.coerce.number().int().min(0).max(0xffffffff).optional().catch(undefined),
});

/** The state a webhook's query describes; defaultLang applies when the query names no language. */
export function readFlowState(query: unknown, defaultLang: Language): FlowState {
  const q = StateQuery.parse(query && typeof query === 'object' ? query : {});
  // A tried list that cannot be read back must not restart the chain from the first center:
  // the call goes to the national line instead.
  const exhausted = q.tried === TOO_MANY_TRIED;
  return {
    step: q.step,
    lang: q.lang ?? defaultLang,
    prompts: q.prompts,
    first: q.first ?? null,
    zip: q.zip ?? null,
    national: q.to === 'national' || exhausted,
    tried: exhausted ? [] : (q.tried ?? []),
    waits: q.wait,
    until: q.until ?? null,
  };
}

/** The query string that carries a state to the next webhook, in a fixed order. */
export function flowStateQuery(state: FlowState): string {
  const params = new URLSearchParams({ step: state.step, lang: state.lang });
  if (state.prompts > 0) params.set('prompts', String(state.prompts));
  if (state.first !== null) params.set('first', state.first);
  if (state.zip !== null) params.set('zip', state.zip);
  if (state.national) params.set('to', 'national');
  if (state.tried.length > 0) params.set('tried', state.tried.join(','));
  if (state.waits > 0) params.set('wait', String(state.waits));
  if (state.until !== null) params.set('until', String(state.until));
  return params.toString();
}
