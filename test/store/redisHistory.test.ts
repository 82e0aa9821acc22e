import t from 'tap';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import {
  auth,
  eventually,
  removeCenter,
  sampleCsv,
  servingVersion,
  startInstance,
  type Instance,
} from '../helpers/service.js';

t.setTimeout(240_000);
/** Deadlines for a stuck follower, not latency checks. */
const DEADLINE_MS = 15_000;

const upload = async (through: Instance, csv: string, name: string, activate = true) => {
  const query = `name=${name}${activate ? '&activate=true' : ''}`;
  const res = await through.inject({
    method: 'POST',
    url: `/v1/admin/datasets?${query}`,
    headers: { ...auth(), 'content-type': 'text/csv' },
    payload: csv,
  });
  if (res.statusCode >= 300) throw new Error(res.body);
  return res.json().version as string;
};
/** Activates as ops would: a 503 (the store reconnecting after a restart) is tried again. */
const activate = async (through: Instance, version: string) => {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const res = await through.inject({
      method: 'POST',
      url: `/v1/admin/datasets/${version}/activate`,
      headers: auth(),
    });
    if (res.statusCode !== 503 || Date.now() > deadline) return res;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};
const storedVersions = async (through: Instance) =>
  ((await through.inject({ url: '/v1/admin/datasets', headers: auth() })).json().versions as { version: string }[]).map(
    (v) => v.version,
  );

// A redis-server and two instances on it (A uploads, B follows) for the first two tests, in turn.
const redis = await startRedis();
t.teardown(() => redis.stop());
const namespace = testNamespace();
const a = await startInstance(redis.url, { namespace });
const b = await startInstance(redis.url, { namespace });
t.teardown(() => Promise.all([a.close(), b.close()]));
const seeded = a.tables.table!.version;

t.test('a wiped Redis gets the whole history back from the instances, so rollback still works', async (t) => {
  const v1 = await upload(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
  const v2 = await upload(a, removeCenter(sampleCsv(), 'ak-anchorage'), 'no-anchorage');
  await servingVersion(b.tables, v2, DEADLINE_MS);
  const before = await storedVersions(a);

  const client = new Redis(redis.url);
  t.teardown(() => client.quit());
  await client.flushall();
  await eventually(async () => (await client.get(`{${namespace}}:tables:active`)) === v2, DEADLINE_MS);
  t.pass('the active version is put back');
  t.same(await storedVersions(a), before, `every stored version is back: ${before.length}`);
  t.equal((await activate(a, v1)).statusCode, 200, 'rollback to the version before works');
  await servingVersion(b.tables, v1, DEADLINE_MS);
  t.equal((await activate(a, seeded)).statusCode, 200, 'and to the seeded one');
  await servingVersion(b.tables, seeded, DEADLINE_MS);
  t.match(a.logs.text + b.logs.text, /Redis had lost tables history/, 'and says so in the log');
});

t.test('an acknowledged activation survives Redis dying right after it, without persistence', async (t) => {
  // Stored, not active: the activation below is the last write before Redis dies.
  const v1 = await upload(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc', false);
  for (let round = 1; round <= 4; round++) {
    const version = round % 2 === 1 ? v1 : seeded;
    t.equal((await activate(a, version)).statusCode, 200, `round ${round}: acknowledged`);
    await redis.restart(); // SIGKILL, then an empty Redis: nothing was on disk
    await servingVersion(a.tables, version, DEADLINE_MS);
    await servingVersion(b.tables, version, DEADLINE_MS);
    const client = new Redis(redis.url);
    await eventually(async () => (await client.get(`{${namespace}}:tables:active`)) === version, DEADLINE_MS);
    await client.quit();
    t.pass(`round ${round}: Redis is back on ${version}, and both instances serve it`);
  }
});

t.test('an instance restarted while Redis is away keeps the history in its snapshot and puts it back', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const namespace = testNamespace();
  const dir = await mkdtemp(join(tmpdir(), 'crisis-route-history-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const env = { SNAPSHOT_DIR: dir };
  const a = await startInstance(redis.url, { namespace, env });
  const seeded = a.tables.table!.version;
  const v1 = await upload(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
  await a.close();
  await redis.kill();

  const restarted = await startInstance(redis.url, { namespace, env, connectTimeoutMs: 300 });
  t.teardown(() => restarted.close());
  t.equal(restarted.tables.source, 'snapshot');
  t.equal(restarted.tables.table!.version, v1, 'serves the last activation from its snapshot');
  await redis.start(); // empty
  await eventually(async () => (await storedVersions(restarted).catch(() => [])).length === 2, DEADLINE_MS);
  t.same((await storedVersions(restarted)).sort(), [seeded, v1].sort(), 'both versions are back in Redis');
  t.match((await restarted.inject('/readyz')).json(), { redis: { activeVersion: v1 } });
  t.equal((await activate(restarted, seeded)).statusCode, 200, 'rollback works');
});

t.test('a Redis that lost only its latest writes (an older activation, a missing version) is put right', async (t) => {
  const redis = await startRedis();
  t.teardown(() => redis.stop());
  const namespace = testNamespace();
  const a = await startInstance(redis.url, { namespace });
  t.teardown(() => a.close());
  const seeded = a.tables.table!.version;
  const v1 = await upload(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
  const client = new Redis(redis.url);
  t.teardown(() => client.quit());
  const key = (k: string) => `{${namespace}}:tables:${k}`;
  // As after a failover to a replica that had not received the upload and the activation.
  const oldStamp = Number(await client.get(key('activatedAt'))) - 60_000;
  await client
    .multi()
    .set(key('active'), seeded)
    .set(key('activatedAt'), String(oldStamp))
    .zrem(key('versions'), v1)
    .del(key(`version:${v1}`))
    .exec();
  await eventually(async () => (await client.get(key('active'))) === v1, DEADLINE_MS);
  t.equal((await client.zscore(key('versions'), v1)) !== null, true, 'the lost version is stored again');
  t.equal(a.tables.table!.version, v1, 'and the instance never left it');
});
