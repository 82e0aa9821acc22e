// What kind of line a central office code most likely serves, from the company holding it.
// A prior, not a fact: numbers port between carriers, and pooled codes lend blocks to others.

export type LineType = 'wireless' | 'wireline' | 'unknown';

/** Mobile carriers, under their own and their license-holding names (Cingular, Omnipoint, Cellco, ...). */
const WIRELESS =
  /WIRELESS|CELLULAR|CELLCO|CINGULAR|T-MOBILE|OMNIPOINT|POWERTEL|VOICESTREAM|SUNCOM|METROPCS|NEXTEL|SPRINT SPECTRUM|SPRINTCOM|CRICKET|AERIAL COMMUNICATIONS|ALLTEL|\bPCS\b|MOBILITY|MOBILE\b|CELLNET|DOBSON/;

/**
 * Paging carriers and the wholesale VoIP carriers behind app and virtual numbers: a code they hold
 * says nothing about whether the caller carries the phone around.
 */
const UNKNOWN =
  /PAGING|MESSAGING|SPOK|METROCALL|ARCH WIRELESS|USA MOBILITY|ONVOY|BANDWIDTH|LEVEL 3|COMMIO|TON80|NUSO|FRACTEL|PEERLESS|TELNYX|TWILIO|INTELIQUENT|NEUTRAL TANDEM|VONAGE|GOOGLE|SKYPE|TELEPORT|O1 COMMUNICATIONS|ISTEL|BROADVOICE|VOIP|IP PHONE|IP ENABLED/;

export function lineTypeOf(company: string): LineType {
  const name = company.toUpperCase();
  if (UNKNOWN.test(name)) return 'unknown';
  if (WIRELESS.test(name)) return 'wireless';
  return 'wireline';
}
