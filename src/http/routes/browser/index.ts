import type { FastifyInstance } from 'fastify';
import { addBrowserHeaders } from '../../plugins/security.js';
import { apiDocs } from '../../plugins/apiDocs.js';
import { widgetRoutes } from './widget.js';
import { zipLookupRoutes } from './zipLookup.js';

export type BrowserRoutesOptions = {
  /** Origins whose pages may call the zip lookup; '*' for any, empty for same origin only. */
  widgetAllowedOrigins: readonly string[];
  openapiPath: string;
};

/** What a browser loads: the widget, its zip lookup, the demo page and the API docs, under the public limit. */
export async function browserRoutes(app: FastifyInstance, options: BrowserRoutesOptions): Promise<void> {
  app.addHook('onRequest', addBrowserHeaders);
  if (app.rateLimitHooks) app.addHook('onRequest', app.rateLimitHooks.public);
  await app.register(zipLookupRoutes, { prefix: '/v1/zips', allowedOrigins: options.widgetAllowedOrigins });
  await app.register(widgetRoutes);
  await app.register(apiDocs, { openapiPath: options.openapiPath });
}
