import type { FastifyInstance } from 'fastify';
import { addBrowserHeaders } from '../../plugins/security.js';
import { adminAuth } from '../../plugins/adminAuth.js';
import { adminRoutes, type AdminOptions } from './admin.js';
import { centerOutcomesRoutes } from './centerOutcomes.js';
import { coveragePageRoutes } from './coverage.js';

/**
 * The admin API under /v1/admin (ops staff, often from a browser). The limiter runs before the
 * token check, so guessing tokens is limited too.
 */
export async function adminGroup(app: FastifyInstance, { admin }: { admin: AdminOptions }): Promise<void> {
  app.addHook('onRequest', addBrowserHeaders);
  if (app.rateLimitHooks) app.addHook('onRequest', app.rateLimitHooks.admin);
  // The coverage page and its script hold no data: a browser loads them, then sends the token for the data.
  await app.register(coveragePageRoutes);
  await app.register(async (withToken) => {
    withToken.addHook('onRequest', adminAuth(admin.tokens));
    await withToken.register(adminRoutes, admin);
    await withToken.register(centerOutcomesRoutes);
  });
}
