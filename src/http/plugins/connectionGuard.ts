import fp from 'fastify-plugin';
import type { FastifyBaseLogger, FastifyError, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';
import { connectionCap, openFileLimit } from '../connectionLimits.js';

export type ConnectionGuardOptions = {
  /** Connections open at once; absent = no cap (tests). */
  maxConnections?: number | undefined;
  /** How often refusals at the cap are summed up in a log line. */
  refusalLogEveryMs?: number;
};

/** Errors a request's body stream ends with when its client went away mid-body (or was cut off by a deadline). */
const CLIENT_GONE_CODES = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP_REQUEST_TIMEOUT']);

/**
 * What each connection is held to besides its deadlines (app.ts sets those): a cap on connections
 * open at once, with refusals logged a line a minute; answers for clients that half-close; and a
 * request whose client left before its body arrived logged at debug, not as a server error.
 */
export const connectionGuard = fp<ConnectionGuardOptions>(
  async (app, options) => {
    const server = app.server;
    // Node's default ends a connection as soon as the client half-closes (shutdown(SHUT_WR) after
    // its request), so any answer not already written (one that waits on Redis) is lost.
    Object.assign(server, { httpAllowHalfOpen: true });

    if (options.maxConnections !== undefined) {
      const files = openFileLimit();
      const cap = connectionCap(options.maxConnections, files);
      if (cap < options.maxConnections) {
        const limits = { maxConnections: options.maxConnections, openFileLimit: files, cap };
        app.log.warn(limits, 'MAX_CONNECTIONS does not fit the open-file limit: capped (docs/connections.md)');
      }
      server.maxConnections = cap;
      const refusals = new RefusalLog(app.log, cap, options.refusalLogEveryMs ?? 60_000);
      server.on('drop', () => refusals.refused());
      app.addHook('onClose', (_app, done) => {
        refusals.stop();
        done();
      });
    }

    app.addHook('onRoute', (routeOptions) => {
      const own = routeOptions.errorHandler;
      routeOptions.errorHandler = function quietClientAborts(error: FastifyError, request: FastifyRequest, reply) {
        if (clientWentAway(error, request)) {
          request.log.debug({ code: error.code }, 'request abandoned: its client left before the body arrived');
          return reply.code(400).send(errorBody('invalid_body', 'the request body was cut short'));
        }
        if (own) return own.call(this, error, request, reply);
        throw error; // on to the error handler of the route's scope
      };
    });
  },
  { name: 'crisis-route-connection-guard' },
);

function clientWentAway(error: FastifyError, request: FastifyRequest): boolean {
  return error.code !== undefined && CLIENT_GONE_CODES.has(error.code) && request.raw.socket?.destroyed === true;
}

/** Connections refused at the cap: the first is logged at once, then one line a period with their count. */
export class RefusalLog {
  private count = 0;
  private since = Date.now();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: FastifyBaseLogger,
    private readonly cap: number,
    private readonly everyMs: number,
  ) {}

  refused(): void {
    this.count++;
    if (this.timer) return;
    this.since = Date.now();
    this.flush();
    this.timer = setInterval(() => {
      if (this.count > 0) return this.flush();
      clearInterval(this.timer!);
      this.timer = null;
    }, this.everyMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
  }

  private flush(): void {
    if (this.count === 0) return;
    const now = Date.now();
    const counts = { refused: this.count, sinceMs: now - this.since, maxConnections: this.cap };
    this.log.warn(counts, 'connections refused: MAX_CONNECTIONS are open');
    this.count = 0;
    this.since = now;
  }
}
