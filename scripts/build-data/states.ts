// US states and territories the service routes for: the names are the service's own (src/core/stateNames.ts).
import { CORE_STATES as CORE, STATE_NAMES as NAMES, TERRITORIES, isRoutedState } from '../../src/core/stateNames.js';

const byCode = (codes: readonly string[]) => Object.fromEntries(codes.map((code) => [code, NAMES[code]!]));

/** The 50 states + DC + PR: every one of these must get an area code and a sample center. */
export const CORE_STATES: Record<string, string> = byCode(CORE);

/** Smaller territories: kept in the zip and prefix tables when the sources have them. */
export const OTHER_TERRITORIES: Record<string, string> = byCode(TERRITORIES);

/** Every state/territory code we keep (military AA/AE/AP and the freely associated states are dropped). */
export const STATE_NAMES: Record<string, string> = { ...NAMES };

export const isKeptState = isRoutedState;

/**
 * Bare place names used by libphonenumber's NANP geocoder for state-wide
 * prefixes. "Washington" alone is never used there: it says
 * "Washington State" and "Washington D.C." to avoid the ambiguity.
 */
export const STATE_BY_NAME: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  for (const [code, name] of Object.entries(STATE_NAMES)) out[name.toLowerCase()] = code;
  delete out['washington'];
  out['washington state'] = 'WA';
  out['washington d.c.'] = 'DC';
  out['washington dc'] = 'DC';
  out['us virgin islands'] = 'VI';
  out['virgin islands'] = 'VI';
  return out;
})();
