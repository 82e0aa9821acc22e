import type { FastifyInstance } from 'fastify';
import type { CallerSettings } from '../../callerSettings.js';
import { healthRoutes, type ReadinessReport } from './health.js';
import { metricsRoute } from './metrics.js';
import { routeApiRoutes } from './routeApi.js';
import { routeTextRefusal, routeTextRoutes } from './routeText.js';
import { twilioRoutes } from './twilio.js';

export type MachineRoutesOptions = { callers: CallerSettings; extraReadiness?: (() => ReadinessReport) | undefined };

/**
 * What phone systems and monitors call: no browser headers. The route API and route.txt count
 * against the telephony limit (route.txt, refused, still answers the national line to dial);
 * Twilio's webhook is a caller on the line, guarded by its signature instead; health and metrics
 * are never limited.
 */
export async function machineRoutes(app: FastifyInstance, options: MachineRoutesOptions): Promise<void> {
  await app.register(healthRoutes, { extraReadiness: options.extraReadiness });
  await app.register(metricsRoute);
  await app.register(twilioRoutes, options.callers);
  await app.register(async (telephony) => {
    if (app.rateLimitHooks) telephony.addHook('onRequest', app.rateLimitHooks.telephony);
    await telephony.register(routeApiRoutes);
  });
  await app.register(async (dialplans) => {
    const refusal = routeTextRefusal(app, options.callers);
    if (app.rateLimitHooks) dialplans.addHook('onRequest', app.rateLimitHooks.telephonyRefusing(refusal));
    await dialplans.register(routeTextRoutes, options.callers);
  });
}
