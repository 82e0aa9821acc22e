import t from 'tap';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import type { ConnectionLimits } from '../../src/http/connectionLimits.js';
import { shippedApp, type TestApp } from '../helpers/app.js';
import { openClient, requestText, timed } from '../helpers/clientSocket.js';
import { eventually } from '../helpers/service.js';

// Small limits keep the file quick; the assertions allow a busy machine seconds of slack.
const LIMITS: ConnectionLimits = {
  headersTimeoutMs: 300,
  requestTimeoutMs: 300,
  keepAliveTimeoutMs: 300,
  stalledConnectionTimeoutMs: 60_000,
  maxConnections: 1000,
};
const SLACK_MS = 5000;
const ROOMY_DEADLINES = { headersTimeoutMs: 10_000, requestTimeoutMs: 10_000 };
const GET_ROUTE = requestText('GET /v1/route?zip=10001');
const REQUEST_TIMEOUT = /^HTTP\/1\.1 408 Request Timeout\r\n/;

type Setup = { logLevel?: string; routes?: (app: TestApp['app']) => void };

async function listening(limits: Partial<ConnectionLimits>, setup: Setup = {}): Promise<TestApp & { port: number }> {
  const test = await shippedApp({ logLevel: setup.logLevel ?? 'info', connections: { ...LIMITS, ...limits } });
  setup.routes?.(test.app);
  await test.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...test, port: (test.app.server.address() as AddressInfo).port };
}

const parsed = (lines: string[]) => lines.map((line) => JSON.parse(line) as { level: number; msg: string });
const within = (ms: number, from: number, to: number) => ms >= from && ms < to + SLACK_MS;
// Clocks start before whatever starts the server's: on a loaded machine a late start would read short.
const since = (start: number) => performance.now() - start;

t.test('a body that never finishes is cut off with 408 at REQUEST_TIMEOUT_MS, logged at debug only', async (t) => {
  const { app, port, logs } = await listening({ requestTimeoutMs: 600 }, { logLevel: 'debug' });
  t.teardown(() => app.close());
  const connecting = performance.now();
  const client = await openClient(port);
  const head = { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' };
  client.socket.write(requestText('POST /v1/route', head, '5\r\n{"zip\r\n'));
  const received = await client.closed;
  const ms = since(connecting);
  t.match(received, REQUEST_TIMEOUT, 'the client is told why');
  t.ok(within(ms, 450, 600), `cut after ${Math.round(ms)} ms: at the request deadline, not the headers one`);
  await eventually(() => logs.text.includes('request abandoned'), SLACK_MS);
  const lines = parsed(logs.lines);
  t.match(
    lines.find((l) => l.msg.startsWith('request abandoned')),
    { level: 20 },
    'a debug line says so',
  );
  t.same(
    lines.filter((l) => l.level >= 40),
    [],
    'no warning or error line',
  );
  t.notMatch(logs.text, /"stack"/, 'and no stack');
});

t.test('headers that never finish are cut off with 408 at HEADERS_TIMEOUT_MS', async (t) => {
  const { app, port } = await listening({ headersTimeoutMs: 300, requestTimeoutMs: 60_000 });
  t.teardown(() => app.close());
  const connecting = performance.now();
  const client = await openClient(port);
  client.socket.write('GET /v1/route?zip=10001 HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  const received = await client.closed;
  const ms = since(connecting);
  t.match(received, REQUEST_TIMEOUT);
  t.ok(within(ms, 250, 300), `cut after ${Math.round(ms)} ms`);
});

t.test('a connection that never sends a byte is closed at HEADERS_TIMEOUT_MS', async (t) => {
  const { app, port } = await listening({ headersTimeoutMs: 300, requestTimeoutMs: 60_000 });
  t.teardown(() => app.close());
  const connecting = performance.now();
  const client = await openClient(port);
  await client.closed;
  const ms = since(connecting);
  t.ok(within(ms, 250, 300), `closed after ${Math.round(ms)} ms`);
});

t.test('a kept-alive connection is reused, and closed once idle for KEEP_ALIVE_TIMEOUT_MS', async (t) => {
  const { app, port } = await listening({ ...ROOMY_DEADLINES, keepAliveTimeoutMs: 400 });
  t.teardown(() => app.close());
  const client = await openClient(port);
  client.socket.write(GET_ROUTE);
  t.equal((await client.nextAnswer()).status, 200);
  const asking = performance.now();
  client.socket.write(GET_ROUTE);
  t.equal((await client.nextAnswer()).status, 200, 'the connection is reused');
  await client.closed;
  const ms = since(asking);
  t.ok(within(ms, 300, 400), `closed ${Math.round(ms)} ms after the last request`);
});

t.test('a connection whose answer never comes is closed at STALLED_CONNECTION_TIMEOUT_MS', async (t) => {
  const hangs = (app: TestApp['app']) => app.get('/v1/admin/test-only-hangs', () => new Promise(() => {}));
  const { app, port } = await listening({ stalledConnectionTimeoutMs: 400 }, { routes: hangs });
  t.teardown(() => app.close());
  const client = await openClient(port);
  client.socket.write(requestText('GET /v1/admin/test-only-hangs'));
  const { value: received, ms } = await timed(client.closed);
  t.equal(received, '', 'closed without an answer');
  t.ok(within(ms, 300, 400), `closed after ${Math.round(ms)} ms`);
});

t.test('at MAX_CONNECTIONS callers are refused, logged once; open ones work; one closes, one gets in', async (t) => {
  const { app, port, logs } = await listening({ ...ROOMY_DEADLINES, keepAliveTimeoutMs: 60_000, maxConnections: 2 });
  const serverSockets: Socket[] = [];
  app.server.on('connection', (socket: Socket) => serverSockets.push(socket));
  const refusals = () => logs.lines.filter((l) => l.includes('connections refused')).map((l) => JSON.parse(l));

  const first = await openClient(port);
  const second = await openClient(port);
  for (const client of [first, second]) {
    client.socket.write(GET_ROUTE);
    t.equal((await client.nextAnswer()).status, 200, 'each of the two allowed connections is answered');
  }

  const refused = await openClient(port);
  refused.socket.write(GET_ROUTE);
  t.equal(await refused.closed, '', 'a third connection is closed without an answer');
  const another = await openClient(port);
  t.equal(await another.closed, '', 'and a fourth');
  t.equal(refusals().length, 1, 'one log line for the first refusal, not one per refusal');
  t.match(refusals()[0], { level: 40, refused: 1, maxConnections: 2 });

  first.socket.write(GET_ROUTE);
  t.equal((await first.nextAnswer()).status, 200, 'an open connection keeps working at the cap');

  second.socket.end();
  await once(serverSockets[1]!, 'close');
  const later = await openClient(port);
  later.socket.write(GET_ROUTE);
  t.equal((await later.nextAnswer()).status, 200, 'once a connection closes, a new caller is answered');

  first.socket.destroy();
  later.socket.destroy();
  await app.close();
  t.equal(refusals().length, 2, 'the refusals after the first line are counted in one more line at close');
  t.match(refusals()[1], { refused: 1 });
});
