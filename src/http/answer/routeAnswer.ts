import { nationalLineOnly, type RouteDecision } from '../../core/route.js';
import type { RoutingTable } from '../../core/types.js';

/** The body of a route answer: the decision without anything identifying the caller. */
export type RouteAnswer = Omit<RouteDecision, 'callerPrefix'> & { degraded?: boolean };

export function toRouteAnswer(decision: RouteDecision): RouteAnswer {
  const { callerPrefix: _callerPrefix, ...answer } = decision;
  return answer;
}

/** When routing itself fails: still a usable answer, the national line, marked degraded. */
export function degradedAnswer(table: RoutingTable): RouteAnswer {
  return {
    destinations: [nationalLineOnly(table)],
    method: 'none',
    prefixLength: null,
    needsZip: false,
    reason: null,
    place: null,
    lineType: null,
    datasetVersion: table.version,
    degraded: true,
  };
}
