import t from 'tap';
import { request } from 'node:http';
import { connect } from 'node:net';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { startListeningProductionServer, startServer } from './helpers/serverProcess.js';
import { freePort } from './helpers/redisServer.js';

t.test('a bad setting stops the start with a message naming it', async (t) => {
  const server = startServer({ PORT: 'abc' });
  const { code } = await server.exited;
  t.not(code, 0);
  t.match(server.stderr(), /PORT="abc": must be a port number from 1 to 65535/);
});

t.test('in production the sample dataset is refused, and the service does not start', async (t) => {
  const server = startServer({ NODE_ENV: 'production', PORT: String(await freePort()) });
  const { code } = await server.exited;
  t.equal(code, 1);
  t.match(server.stderr(), /refusing to serve dataset sample-\w+: it is marked sample/);
  t.match(server.stderr(), /ALLOW_SAMPLE_DATA_IN_PRODUCTION=true/);
});

t.test(
  'SIGTERM: the request in flight is answered, new connections are refused, exit 0 within the bound',
  async (t) => {
    const { server, port } = await startListeningProductionServer(t, { SHUTDOWN_TIMEOUT_MS: '5000' });

    // A request whose body is still arriving: 100-continue proves the server holds it before the signal.
    const body = JSON.stringify({ phone: '+12122267834' });
    const inFlight = request({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/v1/route',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answered = once(inFlight, 'response');
    await once(inFlight, 'continue');
    inFlight.write(body.slice(0, 5));

    const signalled = performance.now();
    server.child.kill('SIGTERM');
    await server.waitFor('shutting down');
    t.equal(await refusedWithin(port, 100), true, 'a new connection is refused');

    inFlight.end(body.slice(5));
    const [response] = (await answered) as [import('node:http').IncomingMessage];
    let text = '';
    for await (const chunk of response) text += String(chunk);
    t.equal(response.statusCode, 200, 'the in-flight request got its answer');
    t.equal(JSON.parse(text).destinations[0].state, 'NY');

    const { code } = await server.exited;
    t.equal(code, 0, 'exit code 0');
    t.ok(performance.now() - signalled < 5000, 'within the shutdown bound');
    t.match(server.stdout(), /shut down cleanly/);
  },
);

/** Tries to connect until refused (the listener closes a moment after the log line), at most `tries` times. */
async function refusedWithin(port: number, tries: number): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const socket = connect({ port, host: '127.0.0.1' });
    // once() rejects with the socket's error, which is the outcome we hope for.
    const outcome = await once(socket, 'connect').then(
      () => 'connected',
      (e: NodeJS.ErrnoException) => e.code,
    );
    socket.destroy();
    if (outcome === 'ECONNREFUSED') return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return false;
}
