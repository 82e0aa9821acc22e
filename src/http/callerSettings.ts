import type { Language } from '../twilio/flowState.js';

/** How the routes for callers' systems (Twilio, dialplans, the widget) behave. */
export type CallerSettings = {
  /** When set, every Twilio webhook must carry a valid X-Twilio-Signature. */
  twilioAuthToken?: string | undefined;
  /** The service's URL as Twilio and browsers reach it, when a proxy stands in front. */
  publicBaseUrl?: string | undefined;
  dialTimeoutSeconds: number;
  defaultLanguage: Language;
  /** A wireless caller placed by exchange is offered a zip first (Twilio) or told it may be (route.txt). */
  wirelessZipOffer: boolean;
  widgetAllowedOrigins: readonly string[];
};

export const DEFAULT_CALLER_SETTINGS: CallerSettings = {
  dialTimeoutSeconds: 20,
  defaultLanguage: 'en',
  wirelessZipOffer: true,
  widgetAllowedOrigins: [],
};
