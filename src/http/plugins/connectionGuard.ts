import fp from 'fastify-plugin';
import type { FastifyError, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';

/** Errors a request's body stream ends with when its client went away mid-body (or was cut off by a deadline). */
const CLIENT_GONE_CODES = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_HTTP_REQUEST_TIMEOUT']);

/**
 * What each connection is held to besides its deadlines: answers for clients that half-close; and a
 * request whose client left before its body arrived logged at debug, not as a server error.
 */
export const connectionGuard = fp(
  async (app) => {
    // Node's default ends a connection as soon as the client half-closes (shutdown(SHUT_WR) after
    // its request), so any answer not already written (one that waits on Redis) is lost.
    Object.assign(app.server, { httpAllowHalfOpen: true });

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
