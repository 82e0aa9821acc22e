import os from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { loggablePath } from './logging.js';

/**
 * The one access-log line per request. It is built field by field from what is safe to write
 * (method, path without query and with number-like runs masked, status, time, the routing outcome
 * with at most the 6-digit prefix), so it needs none of the general logger's redaction, which
 * costs more than the rest of a route request.
 */
export function accessLogger(level: string, stream?: DestinationStream): Logger {
  const options = { level, base: { pid: process.pid, hostname: os.hostname() } };
  // Buffered: one write per few kilobytes of lines instead of a syscall per request. The buffer is
  // flushed when the app closes (see app.ts), so a graceful shutdown loses no line.
  return pino(options, stream ?? pino.destination({ dest: 1, sync: false, minLength: 8192 }));
}

export function logAccess(log: Logger, request: FastifyRequest, reply: FastifyReply): void {
  if (!log.isLevelEnabled('info')) return;
  log.info(
    {
      reqId: request.id,
      // The route template when one matched (/v1/zips/:zip: no zip, no number); otherwise the path without digits.
      req: { id: request.id, method: request.method, path: request.routeOptions.url ?? loggablePath(request.url) },
      res: { statusCode: reply.statusCode },
      ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(request.routing ? { routing: request.routing } : {}),
    },
    'request',
  );
}
