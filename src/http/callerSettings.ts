import type { Language } from '../twilio/flowState.js';

/** How the routes for callers' systems (Twilio, dialplans, the widget) behave. */
export type CallerSettings = {
  /** When set, every Twilio webhook must carry a valid X-Twilio-Signature. */
  twilioAuthToken?: string | undefined;
  /** The service's URL as Twilio and browsers reach it, when a proxy stands in front. */
  publicBaseUrl?: string | undefined;
  /** The national line route.txt names before any table is loaded; once one is, the table's. */
  nationalLine?: string | undefined;
  dialTimeoutSeconds: number;
  defaultLanguage: Language;
  /** A wireless caller placed by exchange is offered a zip first (Twilio) or told it may be (route.txt). */
  wirelessZipOffer: boolean;
  widgetAllowedOrigins: readonly string[];
  /** Center legs carry the whisper and connect only on a key (a center may opt out in its table). Default true. */
  screenCenters?: boolean | undefined;
  /** The national line's leg is screened too. Default false. */
  screenNational?: boolean | undefined;
  /** The whisper, by the call's language. Default DEFAULT_WHISPERS. */
  whispers?: Readonly<Record<Language, string>> | undefined;
  /** At most this many centers ring before the national line. Default 3. */
  maxCenters?: number | undefined;
  /** Centers ring for at most this long in all before the national line. Default 60. */
  ringBudgetSeconds?: number | undefined;
};

export const DEFAULT_CALLER_SETTINGS: CallerSettings = {
  dialTimeoutSeconds: 20,
  defaultLanguage: 'en',
  wirelessZipOffer: true,
  widgetAllowedOrigins: [],
};
