import t from 'tap';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { shippedApp } from '../helpers/app.js';

t.test(
  'a request in flight when the app starts closing is answered with Connection: close, ' +
    'and the close does not wait for keep-alive',
  async (t) => {
    const { app } = await shippedApp();
    // A route with I/O before its answer (as the admin routes have): the request is whole, the answer pending.
    let release = () => {};
    const pending = new Promise<void>((resolve) => (release = resolve));
    let arrived = () => {};
    const reached = new Promise<void>((resolve) => (arrived = resolve));
    app.get('/v1/admin/test-only-slow', async () => (arrived(), await pending, { ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const socket = connect(port, '127.0.0.1');
    t.teardown(() => socket.destroy());
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let received = '';
    const answered = new Promise<void>((resolve) =>
      socket.on(
        'data',
        (chunk: Buffer) => ((received += chunk.toString('latin1')), received.endsWith('}') && resolve()),
      ),
    );
    socket.write('GET /v1/admin/test-only-slow HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await reached; // the request is in its handler
    const started = Date.now();
    const closed = app.close();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await answered;
    t.match(received, /^HTTP\/1\.1 200 OK\r\n/);
    t.match(received, /\r\nconnection: close\r\n/i, 'told not to reuse the connection');
    await closed;
    t.ok(Date.now() - started < 5000, `closed in ${Date.now() - started} ms, not after keepAliveTimeout`);
  },
);
