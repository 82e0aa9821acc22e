// US states and territories the service routes for.

/** The 50 states + DC + PR: every one of these must get an area code and a sample center. */
export const CORE_STATES: Record<string, string> = {
  AL: 'Alabama',
  AK: 'Alaska',
  AZ: 'Arizona',
  AR: 'Arkansas',
  CA: 'California',
  CO: 'Colorado',
  CT: 'Connecticut',
  DE: 'Delaware',
  DC: 'District of Columbia',
  FL: 'Florida',
  GA: 'Georgia',
  HI: 'Hawaii',
  ID: 'Idaho',
  IL: 'Illinois',
  IN: 'Indiana',
  IA: 'Iowa',
  KS: 'Kansas',
  KY: 'Kentucky',
  LA: 'Louisiana',
  ME: 'Maine',
  MD: 'Maryland',
  MA: 'Massachusetts',
  MI: 'Michigan',
  MN: 'Minnesota',
  MS: 'Mississippi',
  MO: 'Missouri',
  MT: 'Montana',
  NE: 'Nebraska',
  NV: 'Nevada',
  NH: 'New Hampshire',
  NJ: 'New Jersey',
  NM: 'New Mexico',
  NY: 'New York',
  NC: 'North Carolina',
  ND: 'North Dakota',
  OH: 'Ohio',
  OK: 'Oklahoma',
  OR: 'Oregon',
  PA: 'Pennsylvania',
  RI: 'Rhode Island',
  SC: 'South Carolina',
  SD: 'South Dakota',
  TN: 'Tennessee',
  TX: 'Texas',
  UT: 'Utah',
  VT: 'Vermont',
  VA: 'Virginia',
  WA: 'Washington',
  WV: 'West Virginia',
  WI: 'Wisconsin',
  WY: 'Wyoming',
  PR: 'Puerto Rico',
};

/** Smaller territories: kept in the zip and prefix tables when the sources have them. */
export const OTHER_TERRITORIES: Record<string, string> = {
  VI: 'U.S. Virgin Islands',
  GU: 'Guam',
  MP: 'Northern Mariana Islands',
  AS: 'American Samoa',
};

/** Every state/territory code we keep (military AA/AE/AP and the freely associated states are dropped). */
export const STATE_NAMES: Record<string, string> = { ...CORE_STATES, ...OTHER_TERRITORIES };

export function isKeptState(code: string): boolean {
  return Object.hasOwn(STATE_NAMES, code);
}

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
