import t from 'tap';
import { once } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { ADMIN_TOKEN, eventually, startInstance } from '../helpers/service.js';
import { openClient, requestText } from '../helpers/clientSocket.js';

// The service as server.ts composes it, on a real Redis: the widget and admin rate limits count
// there, so their answers wait on a Redis round trip after the request has arrived.
const redis = await startRedis();
t.teardown(() => redis.stop());
const instance = await startInstance(redis.url, { namespace: testNamespace(), env: { LOG_LEVEL: 'debug' } });
t.teardown(() => instance.close());
await instance.app.listen({ port: 0, host: '127.0.0.1' });
const port = (instance.app.server.address() as AddressInfo).port;

const FICTIONAL_CALLER = '%2B12125550143';
const JSON_TYPE = { 'Content-Type': 'application/json' };
const FORM_TYPE = { 'Content-Type': 'application/x-www-form-urlencoded' };
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const routeBody = JSON.stringify({ zip: '10001' });
const twilioBody = `From=${FICTIONAL_CALLER}&To=%2B18005550100&CallSid=CA0123`;
const sized = (type: Record<string, string>, body: string) => ({ ...type, 'Content-Length': body.length });

const wholeRequests: Record<string, string> = {
  'GET /v1/route': requestText('GET /v1/route?zip=10001'),
  'POST /v1/route': requestText('POST /v1/route', sized(JSON_TYPE, routeBody), routeBody),
  'GET /v1/route.txt': requestText('GET /v1/route.txt?zip=10001'),
  'GET /v1/zips/:zip': requestText('GET /v1/zips/10001'),
  'POST /v1/twilio/voice': requestText('POST /v1/twilio/voice', sized(FORM_TYPE, twilioBody), twilioBody),
  'GET /widget.js': requestText('GET /widget.js'),
  'GET /healthz': requestText('GET /healthz'),
  'GET /readyz': requestText('GET /readyz'),
  'GET /metrics': requestText('GET /metrics'),
  'GET /v1/admin/datasets': requestText('GET /v1/admin/datasets', ADMIN),
};

t.test('a client that half-closes after its request still gets its answer, on every route', async (t) => {
  for (const [route, request] of Object.entries(wholeRequests)) {
    const client = await openClient(port);
    client.socket.end(request); // the request, then shutdown(SHUT_WR): nothing more will come
    t.match(await client.closed, /^HTTP\/1\.1 200 /, `${route} answered 200`);
  }
});

t.test('a client that leaves mid-body costs a debug line, no error, on every route with a body', async (t) => {
  const from = instance.logs.lines.length;
  const cutShort = [
    requestText('POST /v1/route', { ...JSON_TYPE, 'Content-Length': 100 }, '{"zi'),
    requestText('POST /v1/route', { ...JSON_TYPE, 'Transfer-Encoding': 'chunked' }, '4\r\n{"zi\r\n'),
    requestText('POST /v1/twilio/voice', { ...FORM_TYPE, 'Content-Length': 200 }, `From=${FICTIONAL_CALLER}`),
    requestText('POST /v1/admin/datasets', { ...ADMIN, 'Content-Type': 'text/csv', 'Content-Length': 5000 }, 'id,'),
  ];
  for (const request of cutShort) {
    const accepted = once(instance.app.server, 'connection') as Promise<[Socket]>;
    const client = await openClient(port);
    const [serverSide] = await accepted;
    // Cut only once the server has read the headers: a reset before then would discard the request unread.
    const received = once(instance.app.server, 'request');
    client.socket.write(request);
    await received;
    const closedHere = new Promise((resolve) => serverSide.once('close', resolve)); // after any parse 'error'
    client.socket.destroy();
    await Promise.all([client.closed, closedHere]);
  }
  const logged = () => instance.logs.lines.slice(from);
  const abandoned = () => logged().filter((l) => l.includes('request abandoned'));
  // A body Fastify had not started reading when the reset came is dropped without a line at all:
  // quiet too. So: at least one debug line, never more than one per request, nothing louder.
  await eventually(() => abandoned().length > 0, 15_000);
  await new Promise((resolve) => setImmediate(resolve));
  const lines = logged().map((l) => JSON.parse(l) as { level: number; msg: string });
  t.same(
    lines.filter((l) => l.level >= 40).map((l) => l.msg),
    [],
    'no warning or error line',
  );
  const levels = abandoned().map((l) => (JSON.parse(l) as { level: number }).level);
  t.ok(levels.length <= cutShort.length && levels.every((level) => level === 20), `debug lines only: ${levels}`);
  t.notMatch(logged().join('\n'), /"stack"|5550143/, 'no stack, and no caller number');
});
