import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

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
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let done = false;
  helmet(options)({} as never, recorder as never, () => void (done = true));
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}

/**
 * Security headers on every answer (nosniff, frame and referrer policies, CSP, HSTS). Cross-origin
 * resource policy is relaxed because partners' pages embed the widget and its data; CORS itself is
 * granted only where a route configures it. A route that sets its own CSP (the /docs page) keeps it.
 */
export const securityHeaders = fp(
  async (app) => {
    const headers = helmetHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      void reply.headers(headers);
      done();
    });
  },
  { name: 'crisis-route-security-headers' },
);
