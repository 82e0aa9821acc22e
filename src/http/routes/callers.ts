import type { FastifyInstance } from 'fastify';
import type { CallerSettings } from '../callerSettings.js';
import { routeTextRoutes } from './machine/routeText.js';
import { twilioRoutes } from './machine/twilio.js';
import { widgetRoutes } from './browser/widget.js';
import { zipLookupRoutes } from './browser/zipLookup.js';

/** The routes for callers' systems: Twilio's voice webhook, dialplans, and the web widget. */
export async function callerRoutes(app: FastifyInstance, settings: CallerSettings): Promise<void> {
  await app.register(twilioRoutes, settings);
  await app.register(routeTextRoutes, settings);
  await app.register(zipLookupRoutes, { prefix: '/v1/zips', allowedOrigins: settings.widgetAllowedOrigins });
  await app.register(widgetRoutes);
}
