import t from 'tap';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, eventually, removeCenter, sampleCsv, startInstance } from '../helpers/service.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const skip = redisServer.managed ? false : 'REDIS_URL is set: cannot hang or fill a Redis this harness did not start';
// One instance for both tests: each leaves Redis answering, with room, as it found it.
const instance = await startInstance(redisServer.url, { namespace: testNamespace() });
t.teardown(() => instance.close());

/** How long a health check may take to notice, on a busy machine: deadlines, not latency checks. */
const NOTICE_DEADLINE_MS = 10_000;

const upload = (instance: Awaited<ReturnType<typeof startInstance>>, name: string) =>
  instance.inject({
    method: 'POST',
    url: `/v1/admin/datasets?name=${name}`,
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: removeCenter(sampleCsv(), 'ny-new-york'),
  });

t.test(
  'Redis hung (SIGSTOP): admin calls answer 503 saying so within about a second; readiness says unreachable',
  { skip },
  async (t) => {
    t.match((await instance.inject('/readyz')).json(), { redis: { reachable: true, lastError: null } });

    redisServer.pause();
    t.teardown(() => redisServer.resume());
    const started = Date.now();
    const res = await upload(instance, 'while-hung');
    const ms = Date.now() - started;
    t.equal(res.statusCode, 503, res.body);
    t.match(res.json(), {
      error: { code: 'store_unavailable', message: /^Redis did not answer within 1 s; routing continues/ },
    });
    // The control connection's 1 s, not the data connection's 5 s: slack for a loaded machine between them.
    t.ok(ms < 4500, `answered in ${ms} ms (the data connection's timeout is 5 s)`);
    t.match(res.headers['retry-after'], /^\d+$/);
    const coverage = await instance.inject({
      url: '/v1/admin/datasets/not-loaded-0123456789ab/coverage',
      headers: auth(),
    });
    t.equal(coverage.statusCode, 503, 'so does the coverage of a version it must fetch first');
    t.match(coverage.json(), { error: { code: 'store_unavailable' } });

    await eventually(
      async () => (await instance.inject('/readyz')).json().redis.reachable === false,
      NOTICE_DEADLINE_MS,
    );
    const ready = await instance.inject('/readyz');
    t.equal(ready.statusCode, 200, 'still ready: it routes on the loaded tables');
    t.match(ready.json(), { ready: true, redis: { reachable: false, lastError: 'timeout' } });
    t.notMatch(ready.body, /127\.0\.0\.1|localhost/, 'no address in the body');
    t.notOk(ready.body.includes(String(redisServer.port)), 'no port in the body');
    t.match((await instance.inject('/metrics')).body, /crisis_route_redis_state\{state="down"\} 1/);
    t.equal((await instance.inject('/v1/route?zip=10001')).statusCode, 200, 'routing is not touched');

    redisServer.resume();
    await eventually(
      async () => (await instance.inject('/readyz')).json().redis.reachable === true,
      NOTICE_DEADLINE_MS,
    );
    t.equal((await upload(instance, 'after-hang')).statusCode, 201, 'admin calls work again');
    t.match(instance.logs.text, /Redis did not answer a PING within 1 s/);
    t.match(instance.logs.text, /Redis answers again/);
  },
);

t.test(
  'Redis out of memory (noeviction at maxmemory): uploads answer 503 saying so, readiness says out_of_memory',
  { skip },
  async (t) => {
    const admin = new Redis(redisServer.url);
    admin.on('error', () => {});
    t.teardown(() => admin.disconnect());
    await once(admin, 'ready');
    await admin.config('SET', 'maxmemory', '1');
    t.teardown(() => admin.config('SET', 'maxmemory', '0'));

    const res = await upload(instance, 'while-full');
    t.equal(res.statusCode, 503, res.body);
    t.match(res.json(), {
      error: { code: 'store_unavailable', message: /^Redis is out of memory: OOM command not allowed/ },
    });
    t.notMatch(res.body, /script|@user_script/, 'no script digest in the message');
    const ready = (await instance.inject('/readyz')).json();
    t.match(ready, { ready: true, redis: { reachable: true, lastError: 'out_of_memory' } });

    await admin.config('SET', 'maxmemory', '0');
    t.equal((await upload(instance, 'after-full')).statusCode, 201, 'uploads work again once Redis has room');
    await eventually(
      async () => (await instance.inject('/readyz')).json().redis.lastError === null,
      NOTICE_DEADLINE_MS,
    );
    t.pass('and readiness stops saying out_of_memory');
  },
);
