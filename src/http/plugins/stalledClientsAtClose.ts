import fp from 'fastify-plugin';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export type StalledClientsOptions = {
  /** The longest a client may take over its request; absent = no bound beyond the quiet limit. */
  requestTimeoutMs?: number | undefined;
  /** How long a client may go silent during close before its connection is cut. */
  quietLimitMs?: number;
};

/**
 * Once close starts, Node stops enforcing the header and request deadlines and closes only idle
 * connections, so one client that never finishes its request would hold the close until the
 * shutdown bound. From then on, a connection waiting on its client (a request or body still
 * arriving, an answer not being read) is cut once nothing has moved on it for the quiet limit,
 * or when the request deadline has passed since close began. Connections whose request is whole
 * and whose answer is being worked on are left to finish.
 */
export const stalledClientsAtClose = fp<StalledClientsOptions>(
  async (app, options) => {
    const quietLimitMs = Math.min(options.quietLimitMs ?? 2000, options.requestTimeoutMs ?? Infinity);
    const requestTimeoutMs = options.requestTimeoutMs ?? Infinity;
    const sockets = new Set<Socket>();
    app.server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });

    app.addHook('preClose', (done) => {
      if (!app.server.listening) return done();
      const closingSince = Date.now();
      const lastMoved = new Map<Socket, { bytes: number; at: number }>();
      const check = () => {
        const now = Date.now();
        let cut = 0;
        for (const socket of sockets) {
          if (socket.destroyed) continue;
          if (answerInTheWorks(socket)) {
            lastMoved.delete(socket);
            continue;
          }
          const bytes = bytesMoved(socket);
          const seen = lastMoved.get(socket);
          if (seen === undefined || seen.bytes !== bytes) lastMoved.set(socket, { bytes, at: now });
          const quietMs = now - lastMoved.get(socket)!.at;
          if (quietMs >= quietLimitMs || now - closingSince >= requestTimeoutMs) {
            cutOff(socket);
            cut++;
          }
        }
        if (cut > 0) app.log.info({ connections: cut }, 'closing: cut clients that stopped sending or reading');
      };
      const timer = setInterval(check, Math.max(10, Math.min(250, Math.floor(quietLimitMs / 4)))).unref();
      app.server.once('close', () => clearInterval(timer));
      check();
      done();
    });
  },
  { name: 'crisis-route-stalled-clients-at-close' },
);

/** Node's response in progress on a connection (undocumented, but what its own closeIdleConnections reads). */
function responseOn(socket: Socket): ServerResponse | null {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? null;
}

/** The request is whole and its answer not started: the service is at work, not the client. */
function answerInTheWorks(socket: Socket): boolean {
  const response = responseOn(socket);
  return response !== null && response.req.complete && !response.headersSent;
}

/** Bytes received plus bytes handed to the kernel: it stands still when the client neither sends nor reads. */
function bytesMoved(socket: Socket): number {
  return socket.bytesRead + socket.bytesWritten - socket.writableLength;
}

const REQUEST_TIMEOUT_ANSWER = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** A client mid-request hears 408, as at Node's own deadlines; one between requests is just closed. */
function cutOff(socket: Socket): void {
  const response = responseOn(socket);
  if (response !== null && !response.headersSent && socket.writable) socket.write(REQUEST_TIMEOUT_ANSWER);
  socket.destroy();
}
