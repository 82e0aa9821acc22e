import { destination, type RouteDecision } from '../routing/route.js';
import type { RoutingTable } from '../routing/types.js';

/** The body of a route answer: the decision without anything identifying the caller. */
export type RouteAnswer = Omit<RouteDecision, 'callerPrefix' | 'variant'> & { degraded?: boolean };

export function toRouteAnswer(decision: RouteDecision): RouteAnswer {
  return {
    destinations: decision.destinations,
    method: decision.method,
    prefixLength: decision.prefixLength,
    needsZip: decision.needsZip,
    reason: decision.reason,
    datasetVersion: decision.datasetVersion,
  };
}

/** When routing itself fails: still a usable answer, the national line, marked degraded. */
export function degradedAnswer(table: RoutingTable): RouteAnswer {
  return {
    destinations: [destination(table.national, null, true)],
    method: 'none',
    prefixLength: null,
    needsZip: false,
    reason: null,
    datasetVersion: table.version,
    degraded: true,
  };
}
