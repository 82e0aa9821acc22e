import fp from 'fastify-plugin';
import type { CurrentTable } from '../../tables/currentTable.js';
import { TimeZoneClock } from '../../core/timeZoneClock.js';
import type { RouteClock, RouteDecision } from '../../core/route.js';

/** What routing decided, for the access log and metrics: never more than the 6-digit prefix. */
export type RoutingOutcome = {
  method: RouteDecision['method'];
  needsZip: boolean;
  national: boolean;
  callerPrefix: string | null;
  degraded: boolean;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The routing table requests are answered from; swapped whole on reload. */
    tables: CurrentTable;
    /** The clock routing reads for opening hours; tests pass a fixed one. */
    routeClock(): RouteClock;
  }
  interface FastifyRequest {
    /** Set by the routes that route a caller; null on every other request. */
    routing: RoutingOutcome | null;
  }
}

export type RoutingStateOptions = { tables: CurrentTable; now: () => number };

/** Shares the current table and the clock with every route, so no route keeps module state. */
export const routingState = fp<RoutingStateOptions>(
  async (app, options) => {
    const zones = new TimeZoneClock();
    app.decorate('tables', options.tables);
    app.decorate('routeClock', () => ({ nowMs: options.now(), zones }));
    // Declared up front so every request object has the same shape (V8 keeps its accesses fast).
    app.decorateRequest('routing', null);
  },
  { name: 'routing-state' },
);
