import fp from 'fastify-plugin';
import type { DestinationStream } from 'pino';
import type { CurrentTable } from '../tables/currentTable.js';
import { AccessLog } from './accessLog.js';
import { CallOutcomes, centerOf } from './callOutcomes.js';
import { metrics, type RedisState } from './metrics.js';
import type { RoutineAnswerLog } from './routineAnswers.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Center leg results of voice calls (twilio.ts records, metrics and the admin view read). */
    callOutcomes: CallOutcomes;
  }
}

export type ObservabilityOptions = {
  tables: CurrentTable;
  accessLogLevel: string;
  logStream: DestinationStream;
  routineAnswerLog?: RoutineAnswerLog | undefined;
  redisStatus?: (() => RedisState) | undefined;
};

/**
 * The access log and the request metrics, fed by one onResponse hook for every route: Fastify
 * builds request.routeOptions afresh on every read, so the route template is read once here.
 */
export const observability = fp<ObservabilityOptions>(
  async (app, options) => {
    // Ids come from the current table, so legs of unknown ids cannot grow memory; the clock is routing's.
    const callOutcomes = new CallOutcomes({
      isCenter: centerOf(() => options.tables.table),
      now: () => app.routeClock().nowMs,
    });
    app.decorate('callOutcomes', callOutcomes);
    await app.register(metrics, {
      tables: options.tables,
      callOutcomes,
      ...(options.redisStatus ? { redisStatus: options.redisStatus } : {}),
    });
    const access = new AccessLog(options.accessLogLevel, {
      stream: options.logStream,
      routine: options.routineAnswerLog,
    });
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url;
      const ms = reply.elapsedTime;
      access.record(request, reply.statusCode, route, ms);
      app.observeAnswer(request, reply.statusCode, route, ms);
      done();
    });
    app.addHook('onClose', (_app, done) => {
      access.flush();
      done();
    });
  },
  { name: 'observability', dependencies: ['routing-state'] },
);
