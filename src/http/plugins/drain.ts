import fp from 'fastify-plugin';

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
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (draining) void reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'drain-connections' },
);
