import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import {
  auth,
  eventually,
  servingVersion,
  removeCenter,
  sampleCsv,
  startInstance,
  type Instance,
} from '../helpers/service.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
// The first two tests share a pair of instances: the second leaves B deaf to the channel.
const pair = testNamespace();
const a = await startInstance(redisServer.url, { namespace: pair });
const b = await startInstance(redisServer.url, { namespace: pair });
t.teardown(() => Promise.all([a.close(), b.close()]));

/** How long an instance may take to follow an activation before the test calls it stuck. */
const SWITCH_DEADLINE_MS = 15_000;

const firstAt = async (instance: Instance, zip: string) =>
  (await instance.inject(`/v1/route?zip=${zip}`)).json().destinations[0].id as string;
const uploadAndActivate = async (through: Instance, csv: string, name: string) => {
  const res = await through.inject({
    method: 'POST',
    url: `/v1/admin/datasets?activate=true&name=${name}`,
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: csv,
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(res.body);
  return res.json().version as string;
};

t.test('two instances on one Redis switch together and roll back together', async (t) => {
  const seeded = a.tables.table!.version;
  t.equal(b.tables.table!.version, seeded, 'both start on the seeded version');
  t.equal(await firstAt(b, '10001'), 'ny-new-york');

  const version = await uploadAndActivate(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
  const activatedAt = Date.now();
  // Deadlines for a stuck follower, not latency checks: compiles run in a worker thread.
  await servingVersion(b.tables, version, SWITCH_DEADLINE_MS);
  const after = Date.now() - activatedAt;
  t.pass(`the other instance serves the new version ${after} ms after the activation answered (its compile included)`);
  t.not(await firstAt(b, '10001'), 'ny-new-york', 'and routes by it');
  t.match((await b.inject('/readyz')).json(), {
    datasetVersion: version,
    source: 'redis',
    redis: { reachable: true, activeVersion: version, following: true },
  });

  const rollback = await a.inject({ method: 'POST', url: `/v1/admin/datasets/${seeded}/activate`, headers: auth() });
  t.equal(rollback.statusCode, 200);
  await servingVersion(b.tables, seeded, SWITCH_DEADLINE_MS);
  await servingVersion(a.tables, seeded, SWITCH_DEADLINE_MS);
  t.pass('rollback reaches both instances');
  t.equal(await firstAt(b, '10001'), 'ny-new-york');
});

t.test('a missed message is caught by the periodic re-check', async (t) => {
  // Deaf to the channel: only the re-check (every 500 ms here) can move it.
  b.follower!['deps'].subscriber.removeAllListeners('message');
  const version = await uploadAndActivate(a, removeCenter(sampleCsv(), 'ak-anchorage'), 'no-anchorage');
  await servingVersion(b.tables, version, SWITCH_DEADLINE_MS);
  t.pass('caught up by the re-check');
});

t.test(
  'Redis killed and restarted empty while requests flow: zero failed routes, then every instance catches up',
  { skip: redisServer.managed ? false : 'REDIS_URL is set: cannot kill a Redis this harness did not start' },
  async (t) => {
    const own = await startRedis();
    t.teardown(() => own.stop());
    const namespace = testNamespace();
    // Traffic for as long as the outage lasts: a rate limit is not what is tested.
    const env = { RATE_LIMIT_TELEPHONY_PER_IP: '1000000000' };
    const a = await startInstance(own.url, { namespace, env });
    const b = await startInstance(own.url, { namespace, env });
    t.teardown(() => Promise.all([a.close(), b.close()]));
    const uploaded = await uploadAndActivate(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
    await servingVersion(b.tables, uploaded, SWITCH_DEADLINE_MS);

    let flowing = true;
    const failures: string[] = [];
    let answered = 0;
    const traffic = (async () => {
      const zips = ['10001', '99501', '60601', '94103', '33101'];
      while (flowing) {
        for (const instance of [a, b]) {
          const res = await instance.inject(`/v1/route?zip=${zips[answered % zips.length]}`);
          if (res.statusCode !== 200 || res.json().destinations.at(-1).kind !== 'national')
            failures.push(`${res.statusCode} ${res.body.slice(0, 200)}`);
          answered++;
        }
        // Steady traffic, not a busy loop: the instances' own reconnecting shares this thread.
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();

    await own.kill();
    await eventually(async () => (await a.inject('/readyz')).json().redis.reachable === false, SWITCH_DEADLINE_MS);
    const down = (await a.inject('/readyz')).json();
    t.match(
      down,
      { ready: true, datasetVersion: uploaded, redis: { reachable: false } },
      'readyz: still ready, on the loaded tables, Redis unreachable',
    );
    const adminDown = await a.inject({ url: '/v1/admin/datasets', headers: auth() });
    t.equal(adminDown.statusCode, 503, 'the admin API says the store is unavailable');
    t.equal(adminDown.json().error.code, 'store_unavailable');

    await own.start(); // comes back empty: no pointer, no versions
    await eventually(async () => {
      const ready = [(await a.inject('/readyz')).json(), (await b.inject('/readyz')).json()];
      return ready.every((r) => r.redis.reachable && r.redis.activeVersion === uploaded && r.redis.following);
    }, SWITCH_DEADLINE_MS);
    t.pass('both instances reconnected and put back the version they served, not data/');

    const later = await uploadAndActivate(a, removeCenter(sampleCsv(), 'ak-anchorage'), 'no-anchorage');
    await Promise.all([
      servingVersion(a.tables, later, SWITCH_DEADLINE_MS),
      servingVersion(b.tables, later, SWITCH_DEADLINE_MS),
    ]);
    t.pass('a later upload reaches every instance');
    flowing = false;
    await traffic;
    t.ok(answered > 100, `${answered} route requests during the outage`);
    t.same(failures, [], 'zero failed route requests');
    t.match(a.logs.text + b.logs.text, /Redis unreachable; serving the loaded tables/);
  },
);

t.test(
  'Redis down at start: serves data/ (or the snapshot), says so, and catches up when Redis comes',
  { skip: redisServer.managed ? false : 'REDIS_URL is set' },
  async (t) => {
    const own = await startRedis({ persistent: true });
    t.teardown(() => own.stop());
    const snapshotDir = await mkdtemp(join(tmpdir(), 'crisis-route-snapshot-'));
    t.teardown(() => rm(snapshotDir, { recursive: true, force: true }));
    const namespace = testNamespace();
    const env = { SNAPSHOT_DIR: snapshotDir };

    const first = await startInstance(own.url, { namespace, env });
    const uploaded = await uploadAndActivate(first, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
    await servingVersion(first.tables, uploaded, SWITCH_DEADLINE_MS);
    await first.close();
    await own.kill();

    const offline = await startInstance(own.url, { namespace, env, connectTimeoutMs: 300 });
    t.teardown(() => offline.close());
    t.match(
      (await offline.inject('/readyz')).json(),
      { ready: true, source: 'snapshot', datasetVersion: uploaded, redis: { reachable: false } },
      'the last snapshot, not data/',
    );
    t.not(await firstAt(offline, '10001'), 'ny-new-york');

    const noSnapshot = await startInstance(own.url, { namespace, connectTimeoutMs: 300 });
    t.teardown(() => noSnapshot.close());
    t.match(
      (await noSnapshot.inject('/readyz')).json(),
      { ready: true, source: 'embedded', redis: { reachable: false } },
      'without a snapshot, data/',
    );

    await own.start(); // persistent: the active version survived
    await eventually(
      () => [noSnapshot, offline].every((i) => i.tables.table!.version === uploaded && i.tables.source === 'redis'),
      SWITCH_DEADLINE_MS,
    );
    t.pass('both follow Redis again, on the version ops activated');
    t.equal(await firstAt(noSnapshot, '10001'), await firstAt(offline, '10001'));
  },
);
