import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';

/** POST parameters as a form parser gives them: a name sent twice arrives as an array. */
export type FormParams = Record<string, string | string[] | undefined>;

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed by the auth token, over the full URL it
 * requested followed by every POST parameter as name then value, sorted by name (and a repeated
 * name's distinct values sorted too), with no separators.
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
 * Whether a request carries Twilio's signature, accepting exactly what Twilio's own helper library
 * (`validateRequest` in the `twilio` package, held to it in test/twilio/signature.test.ts) accepts:
 * the URL as received with its port left out or the scheme's default port spelled out, then the same
 * two spellings of the URL as the WHATWG URL parser normalises it, with and without its query string
 * re-encoded as Node's legacy querystring does (for proxies that pass on an escaped form).
 */
export function isValidTwilioSignature(
  authToken: string,
  url: string,
  params: FormParams,
  signature: string | undefined,
): boolean {
  if (!signature) return false;
  const given = Buffer.from(signature, 'utf8');
  const matches = (candidate: string) => {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  if ([removePort(url), addPort(url)].some(matches)) return true;
  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    return false; // the library throws here: a refusal either way
  }
  const withoutPort = removePort(normalized);
  const withPort = addPort(normalized);
  return [withoutPort, withPort, legacyQuery(withoutPort), legacyQuery(withPort)].some(matches);
}

type UrlParts = { scheme: string; userInfo: string; host: string; port: string; rest: string };

/** scheme://userinfo@host:port and the rest, split without normalising anything Twilio signed. */
function splitUrl(url: string): UrlParts | null {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return null;
  const [prefix, scheme, authority] = match as unknown as [string, string, string];
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // In an IPv6 literal, only a colon after the closing bracket starts the port.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

/** The URL with its scheme's default port spelled out, when it names no port. */
function addPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

/** The URL without any port (Twilio's library drops any port here, not only the default one). */
function removePort(url: string): string {
  const parts = splitUrl(url);
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url;
}

/** The query string parsed and re-encoded by Node's legacy querystring module. */
function legacyQuery(url: string): string {
  const start = url.indexOf('?');
  if (start === -1 || start === url.length - 1) return url;
  return `${url.slice(0, start)}?${stringifyQuery(parseQuery(url.slice(start + 1)))}`;
}
