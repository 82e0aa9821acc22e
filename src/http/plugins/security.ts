import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { onRequestHookHandler } from 'fastify';

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
 * What only a browser acts on, added by the browser and admin route groups. Phone systems and
 * monitors never act on these and each header costs every answer, so machine routes go without;
 * browsers still learn HSTS for the host from any browser-facing answer.
 */
export const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  // Partners' pages embed the widget's script and read its lookups; CORS itself is granted per route.
  'cross-origin-resource-policy': 'cross-origin',
};

/** Helmet's headers for an HTML page, computed once. */
export const pageHeaders: Readonly<Record<string, string>> = helmetHeaders();

/** The data headers on every answer, 404s and framework errors included; a page's route replaces them. */
export const dataHeaders = fp(
  async (app) => {
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(DATA_HEADERS);
      done();
    });
  },
  { name: 'data-headers' },
);

/** Added by the route groups a browser may call (browser/, admin/): phone systems never act on these. */
export const addBrowserHeaders: onRequestHookHandler = (_request, reply, done) => {
  void reply.headers(BROWSER_HEADERS);
  done();
};
