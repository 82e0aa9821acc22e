// What kind of line a central office code most likely serves, from the company holding it.
// A prior, not a fact: numbers port between carriers, and pooled codes lend blocks to others.
import type { LineType } from '../core/types.js';

const anyOf = (names: readonly string[]) => new RegExp(names.join('|'));

/** Mobile carriers, under their own and their license-holding names (Cingular, Omnipoint, Cellco, ...). */
const WIRELESS = anyOf([
  'WIRELESS', 'CELLULAR', 'CELLCO', 'CINGULAR', 'T-MOBILE', 'OMNIPOINT', 'POWERTEL', 'VOICESTREAM', 'SUNCOM',
  'METROPCS', 'NEXTEL', 'SPRINT SPECTRUM', 'SPRINTCOM', 'CRICKET', 'AERIAL COMMUNICATIONS', 'ALLTEL', '\\bPCS\\b',
  'MOBILITY', 'MOBILE\\b', 'CELLNET', 'DOBSON', 'BOOST', 'STPCS',
]); // prettier-ignore

/**
 * Paging carriers and the wholesale VoIP carriers behind app and virtual numbers: a code they hold
 * says nothing about whether the caller carries the phone around. (Cable companies' digital voice,
 * "COMCAST IP PHONE" and the like, is a line at home: wireline.)
 */
const UNKNOWN = anyOf([
  'PAGING', 'MESSAGING', 'SPOK', 'METROCALL', 'ARCH WIRELESS', 'USA MOBILITY', 'ONVOY', 'BANDWIDTH', 'LEVEL 3',
  'COMMIO', 'TON80', 'NUSO', 'FRACTEL', 'PEERLESS', 'TELNYX', 'TWILIO', 'INTELIQUENT', 'NEUTRAL TANDEM', 'VONAGE',
  'GOOGLE', 'SKYPE', 'TELEPORT', 'O1 COMMUNICATIONS', 'ISTEL', 'BROADVOICE', 'VOIP',
]); // prettier-ignore

export function lineTypeOf(company: string): LineType {
  const name = company.toUpperCase();
  if (UNKNOWN.test(name)) return 'unknown';
  if (WIRELESS.test(name)) return 'wireless';
  return 'wireline';
}
