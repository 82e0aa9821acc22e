import { flowStateQuery, type FlowState, type Language } from './flowState.js';
import { PRESS_NINE_FOR_SPANISH, PROMPTS, spokenNumber } from './prompts.js';
import { dial, gather, hangup, pause, redirect, say, twimlResponse, type Verb } from './twiml.js';
import type { VoiceStep } from './voiceFlow.js';

export type RenderContext = {
  /** The webhook's own absolute URL without a query: every action and redirect comes back to it. */
  webhookUrl: string;
  /** The screen webhook's absolute URL without a query: a screened leg's whisper. */
  screenUrl: string;
  /** The number the caller dialled, shown to centers instead of the caller's own. */
  callerId: string | undefined;
};

/** Seconds Twilio waits for the first key once the zip prompt has played. */
const PROMPT_TIMEOUT_SECONDS = 6;
/** Seconds between the keys of a zip being typed. */
const ZIP_KEYS_TIMEOUT_SECONDS = 3;
/** After 0 or 9, how long more keys (a zip that starts with them) are waited for before the choice acts. */
const CHOICE_WINDOW_SECONDS = 1;
/** The zip offer is a window, not a question: silence this long and the caller's chain rings. */
const OFFER_TIMEOUT_SECONDS = 4;
const HOLD_SECONDS = 4;
/** Whoever answers at a center has this long after the whisper to press 1. */
export const SCREEN_TIMEOUT_SECONDS = 5;

/** A voice step as the TwiML document answering the webhook. */
export function renderVoiceStep(step: VoiceStep, context: RenderContext): string {
  const action = (state: FlowState) => `${context.webhookUrl}?${flowStateQuery(state)}`;
  switch (step.kind) {
    case 'dial': {
      const lang = step.next.lang;
      const p = PROMPTS[lang];
      const verbs: Verb[] = step.announce === 'rollover' ? [say(p.rollover, p.voice)] : [];
      verbs.push(
        dial({
          number: step.destination.phone,
          action: action(step.next),
          timeoutSeconds: step.timeoutSeconds,
          callerId: context.callerId,
          screenUrl: step.screened ? `${context.screenUrl}?${new URLSearchParams({ lang })}` : undefined,
        }),
      );
      return twimlResponse(...verbs);
    }
    case 'askZip': {
      const p = PROMPTS[step.next.lang];
      const prompt: Verb[] = [];
      if (step.retry !== 'none') prompt.push(say(p[step.retry], p.voice));
      if (step.abroad) prompt.push(say(p.askZipAbroad, p.voice));
      else prompt.push(say(p.askZip, p.voice), say(p.pressZeroForNational, p.voice));
      if (step.next.lang === 'en') prompt.push(say(PRESS_NINE_FOR_SPANISH, PROMPTS.es.voice));
      const next = action(step.next);
      // One key, so that a choice acts at once. Twilio falls through past <Gather> when nothing was
      // pressed: the redirect posts no Digits, which the flow reads as silence.
      return twimlResponse(
        gather({ action: next, numDigits: 1, timeoutSeconds: PROMPT_TIMEOUT_SECONDS, prompt }),
        redirect(next),
      );
    }
    case 'zipRest': {
      const next = action(step.next);
      const timeoutSeconds = step.window ? CHOICE_WINDOW_SECONDS : ZIP_KEYS_TIMEOUT_SECONDS;
      return twimlResponse(gather({ action: next, numDigits: 4, timeoutSeconds, prompt: [] }), redirect(next));
    }
    case 'offerZip': {
      const p = PROMPTS[step.next.lang];
      const next = action(step.next);
      const prompt = [say(p.offerZip, p.voice)];
      return twimlResponse(
        gather({ action: next, numDigits: 5, timeoutSeconds: OFFER_TIMEOUT_SECONDS, prompt }),
        redirect(next),
      );
    }
    case 'goodbye': {
      const p = PROMPTS[step.lang];
      return twimlResponse(say(p.goodbye, p.voice), hangup());
    }
    case 'exhausted': {
      const p = PROMPTS[step.lang];
      const message = step.national ? p.exhausted(spokenNumber(step.national.phone)) : p.unavailable;
      return twimlResponse(say(message, p.voice), hangup());
    }
    case 'hold': {
      const p = PROMPTS[step.next.lang];
      return twimlResponse(say(p.hold, p.voice), pause(HOLD_SECONDS), redirect(action(step.next)));
    }
    case 'unavailable': {
      const p = PROMPTS[step.lang];
      return twimlResponse(say(p.unavailable, p.voice), hangup());
    }
  }
}

export type ScreenStep =
  { kind: 'whisper'; lang: Language; text: string; keyUrl: string } | { kind: 'accept' | 'decline' };

/**
 * What whoever answers a screened leg hears, before the caller is put through: the whisper twice
 * (they may speak over the first), then the key. An empty document bridges the call; <Hangup/>
 * ends the leg unbridged, and the caller's Dial action learns DialBridged=false.
 */
export function renderScreenStep(step: ScreenStep): string {
  switch (step.kind) {
    case 'whisper': {
      const voice = PROMPTS[step.lang].voice;
      const prompt = [say(step.text, voice), say(step.text, voice)];
      return twimlResponse(
        gather({ action: step.keyUrl, numDigits: 1, timeoutSeconds: SCREEN_TIMEOUT_SECONDS, prompt }),
        hangup(),
      );
    }
    case 'accept':
      return twimlResponse();
    case 'decline':
      return twimlResponse(hangup());
  }
}
