import fp from 'fastify-plugin';
import type { CurrentTable } from '../../store/currentTable.js';
import { TimeZoneClock } from '../../routing/timeZoneClock.js';
import type { RouteClock } from '../../routing/route.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The routing table requests are answered from; swapped whole on reload. */
    tables: CurrentTable;
    /** The clock routing reads for opening hours; tests pass a fixed one. */
    routeClock(): RouteClock;
  }
}

export type RoutingStateOptions = { tables: CurrentTable; now: () => number };

/** Shares the current table and the clock with every route, so no route keeps module state. */
export const routingState = fp<RoutingStateOptions>(
  async (app, options) => {
    const zones = new TimeZoneClock();
    app.decorate('tables', options.tables);
    app.decorate('routeClock', () => ({ nowMs: options.now(), zones }));
  },
  { name: 'routing-state' },
);
