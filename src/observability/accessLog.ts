import { pino, type DestinationStream, type Logger } from 'pino';
import type { FastifyRequest } from 'fastify';
import { loggablePath } from './logging.js';
import { RoutineAnswers, type RoutineAnswerLog } from './routineAnswers.js';

/** Longest unmatched path kept in a line: enough to see what was asked, not a place to store a payload. */
const MAX_PATH = 200;

/** An answer slower than this is worth a line of its own: route answers take a fraction of a millisecond. */
export const SLOW_ANSWER_MS = 50;

export type AccessLogOptions = {
  /** Where lines go: the app logger's destination (logging.ts), or a test's capture. */
  stream: DestinationStream;
  /** Routine route answers counted in a line a minute (the default), or a line each. */
  routine?: RoutineAnswerLog | undefined;
  summaryEveryMs?: number;
};

/**
 * The access-log line per request, routine route answers aside (routineAnswers.ts). A logger of
 * its own, without the app logger's serializers and redaction: every field is safe by
 * construction (method, route template or digit-masked path, status, time, the routing outcome
 * with at most the 6-digit prefix).
 */
export class AccessLog {
  private readonly log: Logger | null;
  private readonly routine: RoutineAnswers | null;

  constructor(level: string, options: AccessLogOptions) {
    const enabled = (pino.levels.values[level] ?? Infinity) <= pino.levels.values.info!;
    this.log = enabled ? pino({ level: 'info' }, options.stream) : null;
    this.routine =
      this.log !== null && options.routine !== 'each'
        ? new RoutineAnswers((routine) => this.log?.info({ routine }, 'routine route answers'), options.summaryEveryMs)
        : null;
  }

  /** route: the matched route's template (undefined when none matched); ms: time to answer. */
  record(request: FastifyRequest, statusCode: number, route: string | undefined, ms: number): void {
    if (this.log === null) return;
    const routing = request.routing;
    // A center first, quickly and whole: counted. Anything else a person may need to look at.
    if (
      this.routine !== null &&
      routing !== null &&
      route !== undefined &&
      statusCode < 300 &&
      !routing.national &&
      !routing.degraded &&
      ms < SLOW_ANSWER_MS
    ) {
      this.routine.count(route, routing.method, routing.needsZip, ms);
      return;
    }
    const path = route ?? printable(loggablePath(request.url).slice(0, MAX_PATH));
    const req = { id: request.id, method: request.method, path };
    const res = { statusCode };
    const rounded = Math.round(ms * 100) / 100;
    this.log.info({ reqId: request.id, req, res, ms: rounded, ...(routing ? { routing } : {}) }, 'request');
  }

  /** Writes the window's summary; the app calls it on close so a graceful shutdown loses no count. */
  flush(): void {
    this.routine?.flush();
  }
}

/** Anything outside printable ASCII escaped as \uXXXX text: a path is shown, never interpreted. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
