import t from 'tap';
import { Redis } from 'ioredis';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { redisKeys } from '../../src/store/redisKeys.js';
import { VersionStore, type StoredVersion } from '../../src/store/versionStore.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const redis = new Redis(redisServer.url);
t.teardown(() => redis.disconnect());

const version = (n: number): StoredVersion => ({
  csv: `id,kind\nv${n},affiliate\n`,
  meta: {
    version: `t-${String(n).padStart(12, '0')}`,
    name: 't',
    markedSample: true,
    sample: true,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    createdBy: 'test',
    origin: 'upload',
    centers: n,
  },
});

t.test('every key shares one Redis Cluster hash tag', async (t) => {
  const keys = redisKeys();
  for (const key of [keys.active, keys.versions, keys.version('x-000000000000'), keys.audit, keys.changes])
    t.match(key, /^\{crisis-route\}:/, key);
});

t.test('versions are stored once, listed newest first, and only activated when asked', async (t) => {
  const store = new VersionStore(redis, redisKeys(testNamespace()));
  t.equal(await store.save(version(1)), true);
  t.equal(await store.save(version(1)), false, 'the same version again is not stored twice');
  t.equal(await store.save(version(2)), true);
  t.equal(await store.activeVersion(), null, 'saving does not activate');
  t.same(
    (await store.list()).map((v) => [v.version, v.active]),
    [
      [version(2).meta.version, false],
      [version(1).meta.version, false],
    ],
  );
  const first = await store.activate(version(1).meta.version);
  t.match(first, { previous: null, at: Number });
  const second = await store.activate(version(2).meta.version);
  t.match(second, { previous: version(1).meta.version });
  t.ok(second!.at > first!.at, 'each activation is stamped later than the one it replaces');
  t.same(await store.activation(), { version: version(2).meta.version, at: second!.at });
  t.same((await store.load(version(1).meta.version))?.csv, version(1).csv);
});

t.test('activating an unknown version changes nothing', async (t) => {
  const store = new VersionStore(redis, redisKeys(testNamespace()));
  await store.save(version(1));
  await store.activate(version(1).meta.version);
  t.equal(await store.activate('t-999999999999'), null);
  t.equal(await store.activeVersion(), version(1).meta.version);
});

t.test('history keeps the last N versions and never drops the active one', async (t) => {
  const store = new VersionStore(redis, redisKeys(testNamespace()), 3);
  await store.save(version(1));
  await store.activate(version(1).meta.version);
  for (let n = 2; n <= 6; n++) await store.save(version(n));
  const listed = (await store.list()).map((v) => v.version);
  t.same(
    listed,
    [6, 5, 4, 1].map((n) => version(n).meta.version),
    'the 3 newest plus the active one',
  );
  t.equal(await store.load(version(2).meta.version), null, 'trimmed versions are deleted');
});

t.test('concurrent activations are serialised: each sees the one before it', async (t) => {
  const store = new VersionStore(redis, redisKeys(testNamespace()), 100);
  for (let n = 1; n <= 20; n++) await store.save(version(n));
  const subscriber = new Redis(redisServer.url);
  t.teardown(() => subscriber.disconnect());
  const published: string[] = [];
  subscriber.on('message', (_channel, message: string) => published.push(message));
  await subscriber.subscribe(store.keys.changes);
  // Twenty clients at once: were any two interleaved, two would report the same previous version.
  const clients = Array.from({ length: 20 }, () => new Redis(redisServer.url));
  t.teardown(() => clients.forEach((c) => c.disconnect()));
  const results = await Promise.all(
    clients.map((c, i) => new VersionStore(c, store.keys).activate(version(i + 1).meta.version)),
  );
  const previous = results.map((r) => r!.previous);
  t.equal(new Set(previous).size, 20, 'every activation saw a different predecessor');
  t.equal(previous.filter((p) => p === null).length, 1, 'exactly one was first');
  const active = await store.activeVersion();
  t.notOk(previous.includes(active), 'the last one is nobody’s predecessor');
  await new Promise<void>((resolve) =>
    published.length === 20 ? resolve() : subscriber.on('message', () => published.length === 20 && resolve()),
  );
  t.equal(published.at(-1), active, 'the last message names the active version');
});

t.test('seeding only fills an empty Redis', async (t) => {
  const store = new VersionStore(redis, redisKeys(testNamespace()));
  t.same(await store.seedIfEmpty(version(1)), { seeded: true, active: version(1).meta.version });
  t.same(await store.seedIfEmpty(version(2)), { seeded: false, active: version(1).meta.version });
  t.equal(await store.load(version(2).meta.version), null);
});
