import os from 'node:os';
import { pino, type DestinationStream } from 'pino';
import type { FastifyRequest } from 'fastify';
import { loggablePath } from './logging.js';
import { LineWriter, PIPE_SAFE } from './lineWriter.js';
import { RoutineAnswers, type RoutineAnswerLog } from './routineAnswers.js';

/** Longest unmatched path kept in a line: enough to see what was asked, not a place to store a payload. */
const MAX_PATH = 200;

/** An answer slower than this is worth a line of its own: route answers take a fraction of a millisecond. */
export const SLOW_ANSWER_MS = 50;

export type AccessLogOptions = {
  /** Where lines go (tests capture them), each line at once; absent: stdout, batched. */
  stream?: DestinationStream | undefined;
  /** Routine route answers counted in a line a minute (the default), or a line each. */
  routine?: RoutineAnswerLog | undefined;
  summaryEveryMs?: number;
};

/**
 * The access-log line per request, routine route answers aside (routineAnswers.ts), in the same
 * JSON shape pino writes (level, time, pid, hostname, reqId, req, res, ms, routing, msg). It is
 * written by hand from fields that are safe by construction (method, route template or
 * digit-masked path, status, time, the routing outcome with at most the 6-digit prefix), so it
 * needs none of the general logger's redaction, and gathered into few writes (lineWriter.ts):
 * ~1 µs a request where pino took ~8.
 */
export class AccessLog {
  private readonly writer: LineWriter | null;
  private readonly head: string;
  private readonly base: string;
  private readonly routine: RoutineAnswers | null;
  /** Route templates as JSON strings: a handful, quoted once. */
  private readonly templates = new Map<string, string>();

  constructor(level: string, options: AccessLogOptions = {}) {
    const enabled = (pino.levels.values[level] ?? Infinity) <= pino.levels.values.info!;
    const sink = options.stream ?? pino.destination({ dest: 1, sync: true });
    this.writer = enabled
      ? new LineWriter((chunk) => void sink.write(chunk), options.stream ? { ...PIPE_SAFE, maxChars: 0 } : PIPE_SAFE)
      : null;
    this.head = `{"level":30,"time":`;
    this.base = `,"pid":${process.pid},"hostname":${JSON.stringify(os.hostname())}`;
    this.routine =
      enabled && options.routine !== 'each'
        ? new RoutineAnswers((fields) => this.writeLine(fields, 'routine route answers'), options.summaryEveryMs)
        : null;
  }

  /** route: the matched route's template (undefined when none matched); ms: time to answer. */
  record(request: FastifyRequest, statusCode: number, route: string | undefined, ms: number): void {
    if (this.writer === null) return;
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
    const id = JSON.stringify(request.id);
    const path = route === undefined ? asciiJson(loggablePath(request.url).slice(0, MAX_PATH)) : this.template(route);
    let line =
      this.head +
      Date.now() +
      this.base +
      ',"reqId":' +
      id +
      ',"req":{"id":' +
      id +
      ',"method":' +
      JSON.stringify(request.method) +
      ',"path":' +
      path +
      '}';
    line += ',"res":{"statusCode":' + statusCode + '},"ms":' + Math.round(ms * 100) / 100;
    if (routing) {
      line +=
        ',"routing":{"method":"' +
        routing.method +
        '","needsZip":' +
        routing.needsZip +
        ',"national":' +
        routing.national;
      line +=
        ',"callerPrefix":' +
        (routing.callerPrefix === null ? 'null' : '"' + routing.callerPrefix + '"') +
        ',"degraded":' +
        routing.degraded +
        '}';
    }
    this.writer.write(line + ',"msg":"request"}\n');
  }

  /** Writes out what is gathered and counted; the app calls it on close so a graceful shutdown loses no line. */
  flush(): void {
    this.routine?.flush();
    this.writer?.flush();
  }

  /** A line of the same shape without a request: fields are JSON members, msg the message. */
  private writeLine(fields: string, msg: string): void {
    this.writer?.write(this.head + Date.now() + this.base + ',' + fields + ',"msg":' + JSON.stringify(msg) + '}\n');
  }

  private template(url: string): string {
    let json = this.templates.get(url);
    if (json === undefined) this.templates.set(url, (json = asciiJson(url)));
    return json;
  }
}

/** JSON for a string with anything outside printable ASCII escaped, so a line's length in bytes is its length. */
function asciiJson(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
