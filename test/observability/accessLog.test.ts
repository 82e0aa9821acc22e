import t from 'tap';
import { shippedApp } from '../helpers/app.js';
import { AccessLog, SLOW_ANSWER_MS } from '../../src/observability/accessLog.js';
import type { FastifyRequest } from 'fastify';
import type { RoutingOutcome } from '../../src/http/plugins/routingState.js';

type Line = Record<string, unknown>;
const parsed = (lines: string[]): Line[] => lines.map((l) => JSON.parse(l) as Line);
const requestLines = (lines: string[]): Line[] => parsed(lines).filter((l) => l.msg === 'request');
const summaryLines = (lines: string[]): Line[] => parsed(lines).filter((l) => l.msg === 'routine route answers');

t.test(
  'with ACCESS_LOG_ROUTINE=each every request writes one access line, in the shape pino writes and its routing',
  async (t) => {
    const { app, logs } = await shippedApp({ routineAnswerLog: 'each' });
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
  },
);

t.test(
  'a routine route answer writes no line of its own; a line a minute counts them by route and method',
  async (t) => {
    const { app, logs } = await shippedApp();
    for (const url of [
      '/v1/route?phone=%2B12122267834',
      '/v1/route?phone=%2B12019990000',
      '/v1/route?zip=10001',
      '/v1/route?zip=94103',
      '/v1/route.txt?zip=10001',
    ]) {
      t.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url);
    }
    t.equal(
      (await app.inject({ method: 'POST', url: '/v1/route', payload: { lat: 40.75, lon: -73.99 } })).statusCode,
      200,
    );
    // On a busy machine an answer may pass SLOW_ANSWER_MS: it then keeps its own line instead of being counted.
    const slow = requestLines(logs.lines);
    t.ok(
      slow.every((line) => (line.ms as number) >= SLOW_ANSWER_MS),
      'no line per routine answer, unless it was slow',
    );
    await app.close(); // a graceful shutdown writes the window so far
    const [summary, ...more] = summaryLines(logs.lines);
    t.same(more, [], 'one summary');
    t.same(Object.keys(summary!), ['level', 'time', 'pid', 'hostname', 'routine', 'msg']);
    t.match(summary, { level: 30, time: Number, pid: process.pid, routine: { sinceMs: Number, slowestMs: Number } });
    const minus = (counts: Record<string, number>, keyOf: (line: Line) => string) => {
      const left = { ...counts };
      for (const line of slow) if (--left[keyOf(line)]! === 0) delete left[keyOf(line)];
      return left;
    };
    const routine = summary!.routine as { answers: number; byRoute: Line; byMethod: Line; sinceMs: number };
    t.equal(routine.answers, 6 - slow.length);
    const slowNeedingZip = slow.filter((line) => (line.routing as Line).needsZip === true).length;
    t.equal((routine as unknown as Line).needsZip, 1 - slowNeedingZip, 'the number placed by its area code alone');
    t.same(
      routine.byRoute,
      minus({ '/v1/route': 5, '/v1/route.txt': 1 }, (line) => (line.req as Line).path as string),
    );
    t.same(
      routine.byMethod,
      minus({ prefix: 2, zip: 3, location: 1 }, (line) => (line.routing as Line).method as string),
      'a number placed by its area code alone is counted too, as asking for a zip',
    );
    t.ok(routine.sinceMs <= (summary!.time as number), 'the window began at or before the line');
    const counted = logs.lines.filter((line) => !slow.some((l) => line.includes(`"reqId":"${l.reqId}"`)));
    t.notMatch(counted.join('\n'), /212226|callerPrefix/, 'no caller prefix is kept for a routine answer');
  },
);

t.test('every answer someone may need to look at keeps its own line', async (t) => {
  const { app, logs } = await shippedApp();
  t.teardown(() => app.close());
  const asked = [
    ['/v1/route?phone=%2B18005550100', 'toll-free: the national line first'],
    ['/v1/route?zip=00000', 'an unknown zip: the national line alone'],
    ['/v1/route?zip=1', 'a request the service cannot read (400)'],
    ['/v1/nowhere', 'no such route (404)'],
  ] as const;
  for (const [url] of asked) await app.inject({ method: 'GET', url });
  const lines = requestLines(logs.lines);
  t.same(
    lines.map((l) => (l.res as Line).statusCode),
    [200, 200, 400, 404],
    asked.map(([, why]) => why).join('; '),
  );
  t.match(lines[0], { routing: { method: 'none', needsZip: true, national: true, callerPrefix: '800555' } });
  t.match(lines[1], { routing: { method: 'none', national: true } });
});

t.test('a degraded or slow answer keeps its own line; a quick placed one is counted', async (t) => {
  const lines: string[] = [];
  const log = new AccessLog('info', {
    stream: { write: (chunk: string) => void lines.push(...chunk.split('\n').filter(Boolean)) },
  });
  const request = (routing: Partial<RoutingOutcome>) =>
    ({
      id: 'req-1',
      method: 'GET',
      url: '/v1/route',
      routing: { method: 'zip', needsZip: false, national: false, callerPrefix: null, degraded: false, ...routing },
    }) as unknown as FastifyRequest;
  log.record(request({}), 200, '/v1/route', 0.2);
  log.record(request({ degraded: true }), 200, '/v1/route', 0.2);
  log.record(request({}), 200, '/v1/route', SLOW_ANSWER_MS);
  log.record(request({}), 429, '/v1/route', 0.1);
  t.same(
    requestLines(lines).map((l) => [(l.res as Line).statusCode, l.ms, (l.routing as Line).degraded]),
    [
      [200, 0.2, true],
      [200, SLOW_ANSWER_MS, false],
      [429, 0.1, false],
    ],
  );
  log.flush();
  t.match(summaryLines(lines), [{ routine: { answers: 1, byMethod: { zip: 1 }, slowestMs: 0.2 } }]);
  log.flush();
  t.equal(summaryLines(lines).length, 1, 'an empty window writes nothing');
});

t.test("a window's summary is written when the window ends, without waiting for a close", async (t) => {
  const keepAlive = setTimeout(() => {}, 10_000); // the summary's own timer does not hold the process open
  t.teardown(() => clearTimeout(keepAlive));
  const written = new Promise<string>((resolve) => {
    const log = new AccessLog('info', { stream: { write: (chunk: string) => void resolve(chunk) }, summaryEveryMs: 5 });
    log.record(
      {
        id: 'req-1',
        method: 'GET',
        url: '/v1/route',
        routing: { method: 'prefix', needsZip: false, national: false, callerPrefix: '212226', degraded: false },
      } as unknown as FastifyRequest,
      200,
      '/v1/route',
      0.3,
    );
  });
  t.match(JSON.parse(await written), {
    msg: 'routine route answers',
    routine: { answers: 1, byRoute: { '/v1/route': 1 }, byMethod: { prefix: 1 } },
  });
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
