import { flowStateQuery, type FlowState } from './flowState.js';
import { PRESS_NINE_FOR_SPANISH, PROMPTS, spokenNumber } from './prompts.js';
import { dial, gather, hangup, pause, redirect, say, twimlResponse, type Verb } from './twiml.js';
import type { VoiceStep } from './voiceFlow.js';

export type RenderContext = {
  /** The webhook's own absolute URL without a query: every action and redirect comes back to it. */
  webhookUrl: string;
  dialTimeoutSeconds: number;
  /** The number the caller dialled, shown to centers instead of the caller's own. */
  callerId: string | undefined;
};

/** Seconds Twilio waits for the next keypress before posting what it has. */
const GATHER_TIMEOUT_SECONDS = 6;
/** The zip offer is a window, not a question: silence this long and the caller's chain rings. */
const OFFER_TIMEOUT_SECONDS = 4;
const HOLD_SECONDS = 4;

/** A voice step as the TwiML document answering the webhook. */
export function renderVoiceStep(step: VoiceStep, context: RenderContext): string {
  const action = (state: FlowState) => `${context.webhookUrl}?${flowStateQuery(state)}`;
  switch (step.kind) {
    case 'dial': {
      const p = PROMPTS[step.next.lang];
      const verbs: Verb[] = step.announce === 'rollover' ? [say(p.rollover, p.voice)] : [];
      verbs.push(
        dial({
          number: step.destination.phone,
          action: action(step.next),
          timeoutSeconds: context.dialTimeoutSeconds,
          callerId: context.callerId,
        }),
      );
      return twimlResponse(...verbs);
    }
    case 'askZip': {
      const p = PROMPTS[step.next.lang];
      const prompt: Verb[] = [];
      if (step.retry !== 'none') prompt.push(say(p[step.retry], p.voice));
      prompt.push(say(p.askZip, p.voice), say(p.pressZeroForNational, p.voice));
      if (step.next.lang === 'en') prompt.push(say(PRESS_NINE_FOR_SPANISH, PROMPTS.es.voice));
      const next = action(step.next);
      // Twilio falls through past <Gather> when nothing was pressed: the redirect posts no Digits,
      // which counts as no input.
      return twimlResponse(
        gather({ action: next, numDigits: 5, timeoutSeconds: GATHER_TIMEOUT_SECONDS, prompt }),
        redirect(next),
      );
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
