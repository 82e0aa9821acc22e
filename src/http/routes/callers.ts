import type { FastifyInstance } from 'fastify';
import type { CallerSettings } from '../callerSettings.js';
import { routeTextRoutes } from './routeText.js';
import { twilioRoutes } from './twilio.js';
import { widgetRoutes } from './widget.js';
import { zipLookupRoutes } from './zipLookup.js';

/** The routes for callers' systems: Twilio's voice webhook, dialplans, and the web widget. */
export async function callerRoutes(app: FastifyInstance, settings: CallerSettings): Promise<void> {
  await app.register(twilioRoutes, settings);
  await app.register(routeTextRoutes, settings);
  await app.register(zipLookupRoutes, { prefix: '/v1/zips', allowedOrigins: settings.widgetAllowedOrigins });
  await app.register(widgetRoutes);
}
