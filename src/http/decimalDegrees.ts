/**
 * A coordinate's text (a query string's `lat=40.7128`, or a JSON number the schema turned into
 * text) as a number, or NaN when it is not a plain decimal number.
 *
 * Why not the schema's own number coercion: ajv converts each coordinate from text three times
 * (`x == +x`, then `+x`), and V8 converts decimal text in its runtime, ~600 instructions a time:
 * about an eighth of a location answer's work above bare Fastify's under the same load. Here the
 * usual form (sign, digits, point, digits) is read once, and anything else goes to Number() after
 * a check of its form.
 *
 * Exact: with at most 15 significant digits the digits read as an integer below 2^53 and the
 * divisor is a power of ten below 10^22, both exact doubles, so the one division is correctly
 * rounded, the same double Number() gives (Clinger's fast path).
 */
export function parseDecimalDegrees(text: string): number {
  const length = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === MINUS || first === PLUS) {
    negative = first === MINUS;
    i = 1;
  }
  let digits = 0;
  let mantissa = 0;
  let divisor = 1;
  let point = false;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      if (point) divisor *= 10;
    } else if (c === POINT && !point) {
      point = true;
    } else {
      return otherForms(text);
    }
  }
  if (digits === 0) return NaN;
  if (digits > MAX_EXACT_DIGITS) return Number(text);
  const value = mantissa / divisor;
  return negative ? -value : value;
}

/** A JSON number or a decimal with an exponent (a tiny JSON number becomes `1e-7` as text); no spaces, hex or Infinity. */
const DECIMAL_WITH_EXPONENT = /^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$/;

function otherForms(text: string): number {
  return DECIMAL_WITH_EXPONENT.test(text) ? Number(text) : NaN;
}

const MAX_EXACT_DIGITS = 15;
const ZERO = 48;
const NINE = 57;
const POINT = 46;
const MINUS = 45;
const PLUS = 43;
