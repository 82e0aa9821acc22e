import t from 'tap';
import { pino } from 'pino';
import { shippedApp } from '../helpers/app.js';
import { lazyRequestLogger } from '../../src/observability/requestLogger.js';

t.test("a route's log line carries the request id, and redaction still applies", async (t) => {
  const { app, logs } = await shippedApp();
  t.teardown(() => app.close());
  app.get('/test-only/log', async (request) => {
    request.log.warn({ phone: '+12125550123', query: { phone: '+12125550123' } }, 'something to look at');
    return { ok: true };
  });
  const res = await app.inject({ method: 'GET', url: '/test-only/log' });
  t.equal(res.statusCode, 200);
  const line = logs.lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.msg === 'something to look at');
  t.ok(line, 'the line was written');
  t.match(line?.reqId, /^req-/, 'bound to the request id');
  t.equal(line?.phone, '[redacted]');
  t.notMatch(logs.text, /2125550123/, 'the number appears nowhere');
});

t.test('the child logger is made only when a request logs, and once', async (t) => {
  const parent = pino({ level: 'info' }, { write: () => {} });
  let made = 0;
  const child = parent.child.bind(parent);
  parent.child = ((...args: Parameters<typeof parent.child>) => (made++, child(...args))) as typeof parent.child;
  const log = lazyRequestLogger(parent, { reqId: 'req-1' }, {});
  t.equal(made, 0, 'nothing made for a request that does not log');
  t.equal(log.level, 'info', 'the level is readable without making one');
  log.info('one');
  log.error('two');
  t.equal(made, 1, 'made on first use, then reused');
});
