import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * What a telephony system put in its caller-ID field, reduced to what routing needs.
 * A NANP number is kept as its 10-digit national number (a plain integer, so lookups
 * need no string slicing); nothing here ever puts the number into a message.
 */
export type ParsedPhone =
  | { kind: 'nanp'; national: number }
  | { kind: 'withheld' }
  | { kind: 'outsideNanp' }
  | { kind: 'invalid'; message: string };

const WITHHELD_WORDS = new Set([
  '',
  'anonymous',
  'restricted',
  'unknown',
  'private',
  'unavailable',
  'blocked',
  'withheld',
]);
// Twilio's placeholders for hidden caller ID: ANONYMOUS, RESTRICTED, UNKNOWN and UNAVAILABLE spelled on a keypad.
const WITHHELD_NUMBERS = new Set(['+266696687', '+7378742833', '+8656696', '+86282452253']);

export const MAX_PHONE_INPUT_LENGTH = 64;
const WITHHELD: ParsedPhone = { kind: 'withheld' };
const OUTSIDE_NANP: ParsedPhone = { kind: 'outsideNanp' };

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The fast path for what telephony systems and people usually send: +1 and ten digits, maybe
 * separated by spaces, dots, dashes or parentheses, maybe after "tel:". Returns the national
 * number, or -1 when the input needs the full parser (letters, extensions, other countries).
 */
function plainNationalNumber(input: string): number {
  let i = input.length > 4 && input.charCodeAt(3) === 58 && input.slice(0, 4).toLowerCase() === 'tel:' ? 4 : 0;
  let plus = false;
  if (input.charCodeAt(i) === 43) {
    plus = true;
    i++;
  }
  let value = 0;
  let digits = 0;
  for (; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (isDigit(code)) {
      if (++digits > 11) return -1;
      value = value * 10 + (code - 48);
    } else if (code !== 32 && code !== 45 && code !== 46 && code !== 40 && code !== 41) return -1; // space - . ( )
  }
  if (digits === 11 && Math.floor(value / 1e10) === 1) return value - 1e10;
  if (digits === 10 && !plus) return value;
  return -1;
}

export function parsePhone(raw: string): ParsedPhone {
  const fast = raw.length <= 24 ? plainNationalNumber(raw) : -1;
  if (fast >= 0) return nanpOrInvalid(fast);
  const input = raw.trim();
  if (input.length > MAX_PHONE_INPUT_LENGTH)
    return { kind: 'invalid', message: `phone is longer than ${MAX_PHONE_INPUT_LENGTH} characters` };
  if (WITHHELD_WORDS.has(input.toLowerCase()) || WITHHELD_NUMBERS.has(input)) return WITHHELD;
  const text = input.replace(/^tel:/i, '').replace(/;.*$/, '');
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: 'US', extract: false });
  if (!parsed) return { kind: 'invalid', message: 'phone is not a phone number' };
  if (parsed.countryCallingCode !== '1') return OUTSIDE_NANP;
  const national = Number(parsed.nationalNumber);
  if (parsed.nationalNumber.length !== 10 || !Number.isSafeInteger(national)) {
    return { kind: 'invalid', message: 'phone must have 10 digits after the country code 1' };
  }
  return nanpOrInvalid(national);
}

function nanpOrInvalid(national: number): ParsedPhone {
  // NANP: area code and exchange both start with 2-9.
  const npa = Math.floor(national / 1e7);
  const nxx = Math.floor(national / 1e4) % 1000;
  if (npa < 200 || nxx < 200)
    return {
      kind: 'invalid',
      message: 'phone is not a valid North American number (area code and exchange start with 2-9)',
    };
  return { kind: 'nanp', national };
}

/** The 6-digit NPA-NXX of a national number: the most of a caller's number that may ever be logged. */
export function prefix6(national: number): string {
  return String(Math.floor(national / 1e4));
}
