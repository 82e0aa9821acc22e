import { createHmac, timingSafeEqual } from 'node:crypto';

/** POST parameters as a form parser gives them: a name sent twice arrives as an array. */
export type FormParams = Record<string, string | string[] | undefined>;

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed by the auth token, over the full URL it
 * requested followed by every POST parameter as name then value, sorted by name (and a repeated
 * name's values sorted too), with no separators.
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined) continue;
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * Whether a request carries Twilio's signature. Twilio signs the URL as configured, which may or
 * may not spell out the default port, so both spellings are tried (as Twilio's own libraries do).
 */
export function isValidTwilioSignature(
  authToken: string,
  url: string,
  params: FormParams,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature, 'utf8');
  return urlSpellings(url).some((candidate) => {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

const URL_PARTS = /^(https?):\/\/([^/?#@]*@)?([^/?#:@]+|\[[^\]]+\])(?::(\d+))?(.*)$/is;

/** The URL as given, plus the same URL with its scheme's default port spelled out or left out. */
function urlSpellings(url: string): string[] {
  const parts = URL_PARTS.exec(url);
  if (!parts) return [url];
  const [, scheme, userInfo = '', host, port, rest] = parts;
  const defaultPort = scheme!.toLowerCase() === 'https' ? '443' : '80';
  if (port !== undefined && port !== defaultPort) return [url];
  const prefix = `${scheme}://${userInfo}${host}`;
  return port === undefined ? [url, `${prefix}:${defaultPort}${rest}`] : [url, `${prefix}${rest}`];
}
