/**
 * Which rate-limit group a route belongs to, by its URL template. Written by prefix so routes
 * added later (admin, Twilio, widget) fall into the right group without touching this file.
 */
export type RateLimitGroup = 'public' | 'telephony' | 'admin' | 'none';

const UNLIMITED = new Set(['/healthz', '/readyz', '/metrics']);

export function rateLimitGroupOf(url: string): RateLimitGroup {
  if (UNLIMITED.has(url)) return 'none';
  if (url === '/v1/admin' || url.startsWith('/v1/admin/')) return 'admin';
  // The voice webhook is a caller on the line: refusing it would drop the call to the national line.
  // It is protected by Twilio's signature (TWILIO_AUTH_TOKEN), not by a count of requests.
  if (url.startsWith('/v1/twilio/')) return 'none';
  if (url === '/v1/route' || url.startsWith('/v1/route.') || url.startsWith('/v1/route/')) return 'telephony';
  // Widget endpoints (/v1/zips/:zip, /widget.js, /demo), the API docs and anything not named above.
  return 'public';
}
