import type { Language } from './flowState.js';
import type { Voice } from './twiml.js';

/** What callers hear, in each language the flow speaks. Short: a caller in crisis should not wait on a speech. */
export type Prompts = {
  voice: Voice;
  askZip: string;
  /** For a number from outside the US (a Canadian area code, another country): no zip is assumed. */
  askZipAbroad: string;
  offerZip: string;
  pressZeroForNational: string;
  invalid: string;
  unknownZip: string;
  rollover: string;
  goodbye: string;
  hold: string;
  unavailable: string;
  exhausted: (spokenNumber: string) => string;
};

export const PROMPTS: Record<Language, Prompts> = {
  en: {
    voice: { voice: 'Polly.Joanna', language: 'en-US' },
    askZip: 'To connect you with a crisis center near you, please enter your five digit zip code.',
    askZipAbroad:
      'If you are in the United States, enter the five digit zip code where you are. ' +
      'Otherwise, press 0 or stay on the line for the national hotline.',
    offerZip:
      'If you are on a cell phone, you can enter the five digit zip code where you are now. Or stay on the line.',
    pressZeroForNational: 'To reach the national hotline, press 0.',
    invalid: "Sorry, that isn't a zip code we can use.",
    unknownZip: "Sorry, we couldn't find that zip code.",
    rollover: 'Please stay on the line while we connect you to another center.',
    goodbye: 'Thank you for calling. Take care. Goodbye.',
    hold: 'Please hold while we connect your call.',
    unavailable: "We're sorry, we can't connect your call right now. Please hang up and call back in a minute.",
    exhausted: (n) =>
      "We're sorry, no one could answer right now. " +
      `Please call the national hotline at ${n}, or call back in a few minutes.`,
  },
  es: {
    voice: { voice: 'Polly.Lupe', language: 'es-US' },
    askZip: 'Para comunicarle con un centro de crisis cerca de usted, marque su código postal de cinco dígitos.',
    askZipAbroad:
      'Si está en los Estados Unidos, marque el código postal de cinco dígitos de donde está. ' +
      'Si no, oprima 0 o permanezca en la línea para la línea nacional.',
    offerZip:
      'Si llama desde un celular, puede marcar el código postal de cinco dígitos de donde está ahora. ' +
      'O permanezca en la línea.',
    pressZeroForNational: 'Para la línea nacional, oprima 0.',
    invalid: 'Lo sentimos, no podemos usar ese código postal.',
    unknownZip: 'Lo sentimos, no encontramos ese código postal.',
    rollover: 'Por favor, permanezca en la línea mientras le comunicamos con otro centro.',
    goodbye: 'Gracias por llamar. Cuídese. Adiós.',
    hold: 'Por favor, espere mientras comunicamos su llamada.',
    unavailable:
      'Lo sentimos, no podemos comunicar su llamada en este momento. ' +
      'Por favor, cuelgue y vuelva a llamar en un minuto.',
    exhausted: (n) =>
      'Lo sentimos, nadie pudo contestar en este momento. ' +
      `Por favor, llame a la línea nacional al ${n}, o vuelva a llamar en unos minutos.`,
  },
};

/** What whoever answers at a center hears before the caller is put through (TWILIO_WHISPER_EN, _ES). */
export const DEFAULT_WHISPERS: Record<Language, string> = {
  en: 'Crisis line call. Press 1 to accept.',
  es: 'Llamada de la línea de crisis. Oprima 1 para aceptar.',
};

/** Offered in Spanish, in a Spanish voice, to a caller hearing the English prompt. */
export const PRESS_NINE_FOR_SPANISH = 'Para español, oprima 9.';

/** +18005550100 as a voice reads it clearly: "8 0 0, 5 5 5, 0 1 0 0". */
export function spokenNumber(e164: string): string {
  const digits = e164.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '');
  if (digits.length !== 10) return digits.split('').join(' ');
  return [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)].map((group) => group.split('').join(' ')).join(', ');
}
