import fp from 'fastify-plugin';
import type { CurrentTable } from '../../tables/currentTable.js';
import { TimeZoneClock } from '../../core/timeZoneClock.js';
import { openCentersAt, type OpenCenters, type RouteClock, type RouteDecision } from '../../core/route.js';
import type { RoutingTable } from '../../core/types.js';

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
    /** Which of the table's centers are open now. */
    openCenters(table: RoutingTable): OpenCenters;
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
    // Kept per table and minute (hours are in minutes): a route answer then reads them, not the clock.
    let memo: { table: RoutingTable | null; minute: number; open: OpenCenters } = {
      table: null,
      minute: NaN,
      open: new Uint8Array(0),
    };
    app.decorate('openCenters', (table: RoutingTable) => {
      const nowMs = options.now();
      const minute = Math.floor(nowMs / 60_000);
      if (memo.table !== table || memo.minute !== minute)
        memo = { table, minute, open: openCentersAt(table, { nowMs, zones }) };
      return memo.open;
    });
    // Declared up front so every request object has the same shape (V8 keeps its accesses fast).
    app.decorateRequest('routing', null);
  },
  { name: 'routing-state' },
);
