import fp from 'fastify-plugin';
import type { onSendHookHandler } from 'fastify';
import { hookList } from './hookList.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route answers in the same turn of the event loop its request arrived in: no body to
     * wait for, no I/O before the answer. Such a request can never be in flight when the app
     * starts closing, so it skips the drain check below (an onSend hook costs ~6% of a route answer).
     */
    synchronous?: boolean;
  }
}

/**
 * While the app closes, answers to requests already in flight carry Connection: close. Without it
 * the client's kept-alive connection would hold the closing server open until keepAliveTimeout
 * (Node only reaps connections that are idle at the moment close starts). Requests that arrive
 * after close starts get Connection: close from Fastify itself.
 */
export const drainConnections = fp(
  async (app) => {
    let draining = false;
    app.addHook('preClose', async () => {
      draining = true;
    });
    const markClosing: onSendHookHandler = (_request, reply, payload, done) => {
      if (draining) void reply.header('connection', 'close');
      done(null, payload);
    };
    app.addHook('onRoute', (routeOptions) => {
      if (routeOptions.config?.synchronous === true) return;
      routeOptions.onSend = [...hookList(routeOptions.onSend), markClosing];
    });
  },
  { name: 'crisis-route-drain-connections' },
);
