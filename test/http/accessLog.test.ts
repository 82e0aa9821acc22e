import t from 'tap';
import { shippedApp } from '../helpers/app.js';
import { LineWriter } from '../../src/http/lineWriter.js';

type Line = Record<string, unknown>;
const requestLines = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === 'request');

t.test('every request writes one access line, in the shape pino writes, with the routing outcome', async (t) => {
  const { app, logs } = await shippedApp();
  t.teardown(() => app.close());
  await app.inject({ method: 'GET', url: '/v1/route?phone=%2B12122267834' });
  const [line, ...more] = requestLines(logs.lines);
  t.same(more, [], 'one line for one request');
  t.same(Object.keys(line!), ['level', 'time', 'pid', 'hostname', 'reqId', 'req', 'res', 'ms', 'routing', 'msg']);
  t.match(line, {
    level: 30,
    time: Number,
    pid: process.pid,
    reqId: String,
    req: { method: 'GET', path: '/v1/route' },
    res: { statusCode: 200 },
    ms: Number,
    routing: { method: 'prefix', needsZip: false, national: false, callerPrefix: '212226', degraded: false },
  });
  t.equal((line!.req as Line).id, line!.reqId);
});

t.test('an unmatched path is logged by its shape: no digits, no query, printable ASCII, bounded', async (t) => {
  const { app, logs } = await shippedApp();
  t.teardown(() => app.close());
  await app.inject({ method: 'GET', url: `/v1/caf\u00e9/212/${'x'.repeat(500)}?phone=2122267834` });
  const [line] = requestLines(logs.lines);
  const path = (line!.req as Line).path as string;
  t.match(path, /^\/v1\/caf%C#%A#\/###\/x+$/);
  t.equal(path.length, 200, 'cut at 200 characters');
  t.equal(line!.routing, undefined, 'no routing outcome where nothing was routed');
  t.notMatch(logs.lines.join('\n'), /[^\x20-\x7e\n]/, 'the line itself is ASCII');
});

t.test('at a level above info no access line is written', async (t) => {
  const { app, logs } = await shippedApp({ logLevel: 'warn' });
  t.teardown(() => app.close());
  await app.inject({ method: 'GET', url: '/v1/route?zip=10001' });
  t.same(requestLines(logs.lines), []);
});

t.test('lines are written together, whole, in chunks of at most maxChars', async (t) => {
  const chunks: string[] = [];
  const writer = new LineWriter((chunk) => chunks.push(chunk), { maxChars: 100, maxDelayMs: 60_000 });
  const line = (i: number) => `{"n":${String(i).padStart(3, '0')},"pad":"${'x'.repeat(13)}"}\n`; // 32 characters
  for (let i = 0; i < 10; i++) writer.write(line(i));
  t.same(chunks.map((c) => c.length), [96, 96, 96], 'three lines per chunk; the tenth waits');
  writer.flush();
  t.equal(chunks.join(''), Array.from({ length: 10 }, (_, i) => line(i)).join(''), 'every line, in order, none split');
  writer.flush();
  t.equal(chunks.length, 4, 'nothing more to write');
});

t.test('a quiet writer writes what it holds after maxDelayMs', async (t) => {
  let written = '';
  const keepAlive = setTimeout(() => {}, 10_000); // the writer's own timer does not hold the process open
  t.teardown(() => clearTimeout(keepAlive));
  const delivered = new Promise<void>((resolve) => {
    const writer = new LineWriter((chunk) => ((written += chunk), resolve()), { maxChars: 4000, maxDelayMs: 5 });
    writer.write('one\n');
    writer.write('two\n');
  });
  await delivered;
  t.equal(written, 'one\ntwo\n');
});
