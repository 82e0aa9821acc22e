import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';

/**
 * Security headers on every answer (nosniff, frame and referrer policies, a strict CSP for the
 * JSON API). Cross-origin resource policy is relaxed because partners' pages embed the widget
 * and its data from their own origins; CORS itself is granted only where a route configures it.
 */
export const securityHeaders = fp(
  async (app) => {
    await app.register(helmet, { global: true, crossOriginResourcePolicy: { policy: 'cross-origin' } });
  },
  { name: 'crisis-route-security-headers' },
);
