import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { onRequestHookHandler } from 'fastify';
import { hookList } from './hookList.js';

// Headers for browsers long gone (IE's download options and XSS filter, Flash cross-domain
// policies, DNS prefetch, origin-agent clustering) are left out: every header costs every answer.
const HELMET_OPTIONS: Readonly<HelmetOptions> = {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
  originAgentCluster: false,
};

/**
 * Helmet's headers, computed once. Helmet decides them from its options alone (no per-request
 * nonce is configured), so running its middleware against a recorder at start gives exactly the
 * headers it would set on every answer, without re-deriving the CSP string per request.
 */
export function helmetHeaders(options: Readonly<HelmetOptions> = HELMET_OPTIONS): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) =>
      void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let done = false;
  helmet(options)({} as never, recorder as never, () => void (done = true));
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

/**
 * Every answer that is data (JSON, text, TwiML, scripts): nothing in it is to be rendered, framed
 * or run as a page, so the policy is the short one OWASP gives for APIs.
 */
export const DATA_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
};

/**
 * What only a browser acts on, added where a browser may be the client. Phone systems and
 * monitors never act on these, and every header costs every answer (~4k instructions each, a
 * tenth of a route answer for these four), so machine-facing routes go without them; browsers
 * still learn HSTS for the host from any browser-facing answer.
 */
export const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  // Partners' pages embed the widget's script and read its lookups; CORS itself is granted per route.
  'cross-origin-resource-policy': 'cross-origin',
};

/** Routes that a phone system (the route API, dialplans, Twilio) or a monitor calls. */
const MACHINE_FACING = /^\/(?:v1\/route(?:$|[./])|v1\/twilio\/|healthz$|readyz$|metrics$)/;

function isMachineFacing(url: string): boolean {
  return MACHINE_FACING.test(url);
}

/** Helmet's headers for an HTML page, computed once. */
export const pageHeaders: Readonly<Record<string, string>> = helmetHeaders();

/**
 * Security headers: the data set on every answer, the browser set on every route that is not
 * machine-facing (routes added later included), and a page's route replaces them with pageHeaders.
 * A route that sets its own CSP (the /docs page) keeps it.
 */
export const securityHeaders = fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(DATA_HEADERS);
      done();
    });
    const forBrowsers: onRequestHookHandler = (_request, reply, done) => {
      void reply.headers(BROWSER_HEADERS);
      done();
    };
    app.addHook('onRoute', (routeOptions) => {
      if (isMachineFacing(routeOptions.url ?? '')) return;
      routeOptions.onRequest = [forBrowsers, ...hookList(routeOptions.onRequest)];
    });
  },
  { name: 'crisis-route-security-headers' },
);
