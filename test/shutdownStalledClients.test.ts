import t from 'tap';
import { performance } from 'node:perf_hooks';
import { startListeningProductionServer } from './helpers/serverProcess.js';
import { openClient, requestText } from './helpers/clientSocket.js';

const SHUTDOWN_TIMEOUT_MS = 10_000;
const BODY = JSON.stringify({ zip: '10001', lang: 'en' });

t.test('SIGTERM with a stalled body open: exit 0 in seconds, 408 for it, a slow moving body answered', async (t) => {
  const { server, port } = await startListeningProductionServer(t, {
    SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
  });

  const idle = await openClient(port);
  idle.socket.write(requestText('GET /v1/route?zip=10001'));
  t.equal((await idle.nextAnswer()).status, 200, 'a kept-alive connection, idle at the signal');

  // 100-continue proves the server holds each request before the signal.
  const head = { 'Content-Type': 'application/json', Expect: '100-continue' };
  const stalled = await openClient(port);
  stalled.socket.write(requestText('POST /v1/route', { ...head, 'Transfer-Encoding': 'chunked' }));
  t.equal((await stalled.nextAnswer()).status, 100);
  stalled.socket.write('4\r\n{"zi\r\n'); // and nothing more, ever
  const moving = await openClient(port);
  moving.socket.write(requestText('POST /v1/route', { ...head, 'Content-Length': BODY.length }));
  t.equal((await moving.nextAnswer()).status, 100);

  const signalled = performance.now();
  server.child.kill('SIGTERM');
  await server.waitFor('shutting down');
  // A few bytes every 350 ms: never quiet for long, though the whole body takes longer than the quiet limit.
  for (const piece of BODY.match(/.{1,4}/g)!) {
    await new Promise((resolve) => setTimeout(resolve, 350));
    moving.socket.write(piece);
  }
  const answer = await moving.nextAnswer();
  t.equal(answer.status, 200, 'the request still arriving at the signal, a few bytes at a time, is answered');
  t.match(answer.head, /\r\nconnection: close\r\n/i);
  t.equal(JSON.parse(answer.body).destinations[0].state, 'NY');

  const { code } = await server.exited;
  const ms = performance.now() - signalled;
  t.equal(code, 0, 'exit code 0');
  // Exit 0 already says the stalled body was cut: waiting for it would have hit the bound and exited 1.
  t.ok(ms < SHUTDOWN_TIMEOUT_MS, `exited ${Math.round(ms)} ms after SIGTERM, within its bound`);
  t.match(await stalled.closed, /\r\n\r\nHTTP\/1\.1 408 Request Timeout\r\n/, 'the stalled client is told why');
  t.equal((await idle.closed).length > 0, true, 'the idle connection was closed');
  t.match(server.stdout(), /closing: cut clients that stopped sending or reading/);
  t.match(server.stdout(), /shut down cleanly/);
  t.notMatch(server.stdout(), /"level":50/, 'no error line');
});
