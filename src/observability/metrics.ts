import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FastifyRequest } from 'fastify';
import { RequestMetrics } from './requestMetrics.js';
import { LiveHeap } from './liveHeap.js';
import type { CurrentTable } from '../tables/currentTable.js';
import { LEG_OUTCOMES, type CallOutcomes } from './callOutcomes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts an answer once it is sent (app.ts calls it from the one onResponse hook). */
    observeAnswer(request: FastifyRequest, statusCode: number, route: string | undefined, ms: number): void;
    /** The registry /metrics serves, for gauges of parts composed after the app (Redis health). */
    metricsRegistry: Registry;
    /** The Prometheus text /metrics serves. */
    metricsText(): Promise<string>;
  }
}

export type RedisState = 'ready' | 'connecting' | 'down' | 'disabled';
export type MetricsOptions = { tables: CurrentTable; callOutcomes?: CallOutcomes; redisStatus?: () => RedisState };

const REDIS_STATES: readonly RedisState[] = ['ready', 'connecting', 'down', 'disabled'];
const UNMATCHED = '(unmatched)';

/**
 * Prometheus metrics (served by routes/machine/metrics.ts), in a registry of this app's own. Labels are route
 * templates,
 * methods, statuses and routing outcomes: never a URL, a query or anything about a caller.
 */
export const metrics = fp<MetricsOptions>(
  async (app, options) => {
    const register = new Registry();
    collectDefaultMetrics({ register });
    app.decorate('metricsRegistry', register);
    const requests = new RequestMetrics();
    // Routing outcomes are counted as plain numbers and handed to prom-client when scraped.
    const outcomes = { byMethod: new Map<string, number>(), needsZip: 0, nationalFirst: 0, degraded: 0 };
    const counted = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers: [register],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    new Counter({
      name: 'crisis_route_answers_total',
      help: 'Route answers, by the table that placed the caller (prefix, zip, zip3, location, none)',
      labelNames: ['method'],
      registers: [register],
      collect() {
        this.reset();
        for (const [method, n] of outcomes.byMethod) this.inc({ method }, n);
      },
    });
    counted('crisis_route_needs_zip_total', 'Route answers that asked for a zip', () => outcomes.needsZip);
    counted(
      'crisis_route_national_first_total',
      'Route answers whose first destination is the national line',
      () => outcomes.nationalFirst,
    );
    counted(
      'crisis_route_degraded_total',
      'Route answers given with the national line alone after an internal fault',
      () => outcomes.degraded,
    );
    new Counter({
      name: 'crisis_route_center_legs_total',
      help: 'Center legs of voice calls, by center id and how they ended',
      labelNames: ['center', 'outcome'],
      registers: [register],
      collect() {
        this.reset();
        for (const [center, counts] of options.callOutcomes?.totalsByCenter() ?? [])
          for (const outcome of LEG_OUTCOMES) this.inc({ center, outcome }, counts[outcome]);
      },
    });
    const dataset = new Gauge({
      name: 'crisis_route_dataset_info',
      help: 'The dataset being served (value 1)',
      labelNames: ['version', 'sample', 'source'],
      registers: [register],
    });
    const reloads = new Counter({
      name: 'crisis_route_table_swaps_total',
      help: 'Routing tables swapped in, by source',
      labelNames: ['source'],
      registers: [register],
    });
    const reloadSeconds = new Histogram({
      name: 'crisis_route_table_compile_seconds',
      help: 'Time to compile a routing table that was swapped in',
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [register],
    });
    new Gauge({
      name: 'crisis_route_redis_state',
      help: 'Redis connection state (1 for the current state)',
      labelNames: ['state'],
      registers: [register],
      collect() {
        const current = options.redisStatus?.() ?? 'disabled';
        for (const state of REDIS_STATES) this.set({ state }, state === current ? 1 : 0);
      },
    });

    const liveHeap = new LiveHeap();
    app.addHook('onClose', (_app, done) => {
      liveHeap.stop();
      done();
    });
    new Gauge({
      name: 'crisis_route_live_heap_bytes',
      help:
        'V8 heap in use just after the last full garbage collection (before the first: the heap in use at start);' +
        ' a leak shows here, where RSS swings with garbage not yet collected',
      registers: [register],
      collect() {
        this.set(liveHeap.liveBytes);
      },
    });

    const showDataset = () => {
      const table = options.tables.table;
      dataset.reset();
      if (table)
        dataset.set(
          { version: table.version, sample: String(table.sample), source: options.tables.source ?? 'unknown' },
          1,
        );
    };
    showDataset();
    options.tables.onSwap(({ source, compileMs }) => {
      reloads.inc({ source });
      reloadSeconds.observe(compileMs / 1000);
      showDataset();
    });

    app.decorate(
      'observeAnswer',
      (request: FastifyRequest, statusCode: number, route: string | undefined, ms: number) => {
        requests.observe(route ?? UNMATCHED, request.method, statusCode, ms / 1000);
        const routing = request.routing;
        if (routing) {
          outcomes.byMethod.set(routing.method, (outcomes.byMethod.get(routing.method) ?? 0) + 1);
          if (routing.needsZip) outcomes.needsZip++;
          if (routing.national) outcomes.nationalFirst++;
          if (routing.degraded) outcomes.degraded++;
        }
      },
    );

    app.decorate('metricsText', async () => `${requests.text()}\n${await register.metrics()}`);
  },
  { name: 'crisis-route-metrics' },
);
