import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CurrentTable } from '../../store/currentTable.js';

export type RedisState = 'ready' | 'connecting' | 'down' | 'disabled';
export type MetricsOptions = { tables: CurrentTable; redisStatus?: () => RedisState };

const REDIS_STATES: readonly RedisState[] = ['ready', 'connecting', 'down', 'disabled'];
const UNMATCHED = '(unmatched)';

/**
 * Prometheus metrics at /metrics, in a registry of this app's own. Labels are route templates,
 * methods, statuses and routing outcomes: never a URL, a query or anything about a caller.
 */
export const metrics = fp<MetricsOptions>(
  async (app, options) => {
    const register = new Registry();
    collectDefaultMetrics({ register });
    const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered, by route template, method and status', labelNames: ['route', 'method', 'status'], registers: [register] });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer, by route template and method',
      labelNames: ['route', 'method'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [register],
    });
    const answers = new Counter({ name: 'crisis_route_answers_total', help: 'Route answers, by the table that placed the caller (prefix, zip, zip3, location, none)', labelNames: ['method'], registers: [register] });
    const needsZip = new Counter({ name: 'crisis_route_needs_zip_total', help: 'Route answers that asked for a zip', registers: [register] });
    const nationalFirst = new Counter({ name: 'crisis_route_national_first_total', help: 'Route answers whose first destination is the national line', registers: [register] });
    const degraded = new Counter({ name: 'crisis_route_degraded_total', help: 'Route answers given with the national line alone after an internal fault', registers: [register] });
    const dataset = new Gauge({ name: 'crisis_route_dataset_info', help: 'The dataset being served (value 1)', labelNames: ['version', 'sample', 'source'], registers: [register] });
    const reloads = new Counter({ name: 'crisis_route_table_swaps_total', help: 'Routing tables swapped in, by source', labelNames: ['source'], registers: [register] });
    const reloadSeconds = new Histogram({ name: 'crisis_route_table_compile_seconds', help: 'Time to compile a routing table that was swapped in', buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [register] });
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

    const showDataset = () => {
      const table = options.tables.table;
      dataset.reset();
      if (table) dataset.set({ version: table.version, sample: String(table.sample), source: options.tables.source ?? 'unknown' }, 1);
    };
    showDataset();
    options.tables.onSwap(({ source, compileMs }) => {
      reloads.inc({ source });
      reloadSeconds.observe(compileMs / 1000);
      showDataset();
    });

    // prom-client hashes a label object on every call; the few label combinations are bound once.
    const requestSeries = new Map<string, { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof duration.labels> }>();
    const answerSeries = new Map<string, ReturnType<typeof answers.labels>>();
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? UNMATCHED;
      const key = `${route} ${request.method} ${reply.statusCode}`;
      let series = requestSeries.get(key);
      if (!series) {
        series = { count: requests.labels(route, request.method, String(reply.statusCode)), time: duration.labels(route, request.method) };
        requestSeries.set(key, series);
      }
      series.count.inc();
      series.time.observe(reply.elapsedTime / 1000);
      const routing = request.routing;
      if (routing) {
        let answered = answerSeries.get(routing.method);
        if (!answered) answerSeries.set(routing.method, (answered = answers.labels(routing.method)));
        answered.inc();
        if (routing.needsZip) needsZip.inc();
        if (routing.national) nationalFirst.inc();
        if (routing.degraded) degraded.inc();
      }
      done();
    });

    app.get('/metrics', async (_request, reply) => reply.type(register.contentType).send(await register.metrics()));
  },
  { name: 'crisis-route-metrics' },
);
