import type { FastifyInstance } from 'fastify';
import { addBrowserHeaders } from '../../plugins/security.js';
import { adminAuth } from '../../plugins/adminAuth.js';
import { adminRoutes, type AdminOptions } from './admin.js';
import { centerOutcomesRoutes } from './centerOutcomes.js';

/**
 * The admin API under /v1/admin (ops staff, often from a browser). The limiter runs before the
 * token check, so guessing tokens is limited too.
 */
export async function adminGroup(app: FastifyInstance, { admin }: { admin: AdminOptions }): Promise<void> {
  app.addHook('onRequest', addBrowserHeaders);
  if (app.rateLimitHooks) app.addHook('onRequest', app.rateLimitHooks.admin);
  app.addHook('onRequest', adminAuth(admin.tokens));
  await app.register(adminRoutes, admin);
  await app.register(centerOutcomesRoutes);
}
