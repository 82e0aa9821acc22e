import t from 'tap';
import { Redis } from 'ioredis';
import { startSentinelSet, type SentinelSet } from '../helpers/redisSentinel.js';
import type { TableSwap } from '../../src/tables/currentTable.js';
import { auth, eventually, removeCenter, sampleCsv, servingVersion } from '../helpers/service.js';
import { startInstance, type Instance } from '../helpers/service.js';
import { tablesCli } from '../helpers/tablesCli.js';

/** Deadlines for a stuck failover or follower, not latency checks: a busy machine stays well inside them. */
const FAILOVER_DEADLINE_MS = 20_000;
const FOLLOW_DEADLINE_MS = 15_000;

// Events, not the periodic re-check, must carry the instances across: re-check only every 10 minutes.
const serviceEnv = (set: SentinelSet) => ({
  ...set.env,
  TABLES_RECHECK_MS: '600000',
  RATE_LIMIT_TELEPHONY_PER_IP: '1000000000',
  RATE_LIMIT_ADMIN_PER_IP: '1000000',
});

const uploadAndActivate = async (through: Instance, csv: string, name: string) => {
  const url = `/v1/admin/datasets?activate=true&name=${name}`;
  const headers = { ...auth(), 'content-type': 'text/csv' };
  const res = await through.inject({ method: 'POST', url, headers, payload: csv });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().version as string;
};

const dataConnection = (instance: Instance): Redis => instance.follower!['deps'].redis;
const portOf = async (redis: Redis) => ((await redis.config('GET', 'port').catch(() => [])) as string[])[1];
const adminAnswers = async (instance: Instance) =>
  (await instance.inject({ url: '/v1/admin/datasets', headers: auth() })).statusCode === 200;

t.test('primary killed: routes never fail, instances follow the promoted replica, admin works again', async (t) => {
  const setupStarted = Date.now();
  const set = await startSentinelSet();
  const setupMs = Date.now() - setupStarted;
  t.teardown(() => set.stop());
  const a = await startInstance('', { env: serviceEnv(set) });
  const b = await startInstance('', { env: serviceEnv(set) });
  t.teardown(() => Promise.all([a.close(), b.close()]));
  t.match((await a.inject('/readyz')).json(), { ready: true, source: 'redis', redis: { reachable: true } });

  const before = await uploadAndActivate(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
  await servingVersion(b.tables, before, FOLLOW_DEADLINE_MS);
  t.pass('upload and activation through Sentinel reach both instances');
  // Replication is asynchronous: make sure the replica has what was acknowledged before the crash.
  const primaryProbe = new Redis({ port: set.primary.port, host: '127.0.0.1', connectionName: 'test-probe' });
  t.equal(await primaryProbe.call('WAIT', '1', '5000'), 1, 'the replica has every write');
  primaryProbe.disconnect();

  let flowing = true;
  const failures: string[] = [];
  let answered = 0;
  const traffic = (async () => {
    const zips = ['10001', '99501', '60601', '94103', '33101'];
    const stopAt = Date.now() + 60_000; // bounded even if the test fails before it says stop
    while (flowing && Date.now() < stopAt) {
      for (const instance of [a, b]) {
        const res = await instance.inject(`/v1/route?zip=${zips[answered % zips.length]}`);
        const last = res.statusCode === 200 ? res.json().destinations.at(-1) : null;
        if (last?.kind !== 'national') failures.push(`${res.statusCode} ${res.body.slice(0, 200)}`);
        answered++;
      }
      // Steady traffic, not a busy loop: the failover's own timings are what is measured.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  // Teardowns run last-registered first: traffic stops before the instances close.
  t.teardown(async () => {
    flowing = false;
    await traffic;
  });

  const readyAgain = [a, b].map(
    (instance) => new Promise<number>((resolve) => dataConnection(instance).once('ready', () => resolve(Date.now()))),
  );
  const answeredBefore = answered;
  const killedAt = Date.now();
  await set.primary.kill();
  await eventually(async () => (await a.inject('/readyz')).json().redis.reachable === false, FAILOVER_DEADLINE_MS);
  const adminDown = await a.inject({ url: '/v1/admin/datasets', headers: auth() });
  t.equal(adminDown.statusCode, 503, 'while there is no primary the admin API says so at once');
  // The first moment the admin API answers again, polled from here on.
  const adminBack = eventually(() => adminAnswers(a), FAILOVER_DEADLINE_MS).then(() => Date.now());

  const switched = await set.switchedMaster(FAILOVER_DEADLINE_MS);
  t.equal(switched.port, set.replica.port, 'Sentinel promotes the replica');
  const [aReady, bReady] = await Promise.all(readyAgain);
  const adminBackAt = await adminBack;
  await eventually(async () => {
    const ready = [(await a.inject('/readyz')).json(), (await b.inject('/readyz')).json()];
    return ready.every((r) => r.redis.reachable && r.redis.activeVersion === before && r.redis.following);
  }, FOLLOW_DEADLINE_MS);
  t.pass('both instances report Redis reachable again, on the version they served');
  t.equal(await portOf(dataConnection(a)), String(set.replica.port), 'on the new primary');

  // Every connection of both instances (data, subscriber, limiter) is on the new primary, and both listen.
  const probe = new Redis({ port: set.replica.port, host: '127.0.0.1', connectionName: 'test-probe' });
  t.teardown(() => probe.disconnect());
  const channel = a.follower!['deps'].store.keys.changes as string;
  await eventually(async () => {
    const clients = String(await probe.call('CLIENT', 'LIST')).split('\n');
    const count = (role: string) => clients.filter((line) => line.includes(` name=crisis-route-${role} `)).length;
    const listeners = ((await probe.call('PUBSUB', 'NUMSUB', channel)) as [string, number])[1];
    return count('data') >= 2 && count('subscriber') === 2 && count('limiter') === 2 && listeners === 2;
  }, FOLLOW_DEADLINE_MS);
  t.pass('data, subscriber and limiter connections of both instances are on the promoted replica');

  // B's swaps, kept from before the upload: its deadline is servingVersion's, which starts after the upload.
  const bSwaps: TableSwap[] = [];
  b.tables.onSwap((swap) => bSwaps.push(swap));
  const after = await uploadAndActivate(a, removeCenter(sampleCsv(), 'ak-anchorage'), 'no-anchorage');
  const activatedAt = Date.now();
  await servingVersion(b.tables, after, FOLLOW_DEADLINE_MS);
  const bFollowedAt = Date.now();
  const bCompileMs = Math.round(bSwaps.find((swap) => swap.table.version === after)?.compileMs ?? NaN);
  t.pass('an activation on the new primary reaches the other instance over pub/sub');

  flowing = false;
  await traffic;
  const duringFailover = answered - answeredBefore;
  t.ok(duringFailover > 100, `${duringFailover} route requests from the kill to the end`);
  t.same(failures, [], 'zero failed route requests');

  const since = (at: number | undefined) => (at === undefined ? 'n/a' : `+${at - killedAt} ms`);
  t.comment(`primary, replica and 3 sentinels ready in ${setupMs} ms`);
  t.comment('Sentinel failover timeline (primary SIGKILLed at t0; down-after-milliseconds 1000, quorum 2 of 3):');
  for (const event of ['+sdown', '+odown', '+elected-leader', '+promoted-slave', '+switch-master']) {
    t.comment(`  sentinel ${event.padEnd(16)} ${since(set.firstSeen.get(event))}`);
  }
  t.comment(`  instance A data connection ready on the new primary ${since(aReady)}, B ${since(bReady)}`);
  t.comment(`  admin API answering again ${since(adminBackAt)}`);
  t.comment(`  admin upload+activate on the new primary answered ${since(activatedAt)}`);
  t.comment(`  B serving it ${since(bFollowedAt)} (its compile ${bCompileMs} ms)`);
  t.comment(`  route requests: ${duringFailover} from the kill on, ${failures.length} failed`);
});

t.test('failover with the old primary still up: the instance moves at once, writes land on the new one', async (t) => {
  const set = await startSentinelSet();
  t.teardown(() => set.stop());
  const a = await startInstance('', { env: serviceEnv(set) });
  t.teardown(() => a.close());

  const askedAt = Date.now();
  await set.failover();
  const switched = await set.switchedMaster(FAILOVER_DEADLINE_MS);
  t.equal(switched.port, set.replica.port, 'Sentinel promotes the replica');
  // The old primary still takes writes until Sentinel demotes it, seconds later: none may go there.
  await eventually(async () => (await portOf(dataConnection(a))) === String(set.replica.port), FOLLOW_DEADLINE_MS);
  const movedAt = Date.now();
  let version = '';
  await eventually(async () => {
    if (!(await adminAnswers(a))) return false;
    version = await uploadAndActivate(a, removeCenter(sampleCsv(), 'ny-new-york'), 'no-nyc');
    return true;
  }, FOLLOW_DEADLINE_MS);
  const probe = new Redis({ port: set.replica.port, host: '127.0.0.1', connectionName: 'test-probe' });
  t.teardown(() => probe.disconnect());
  t.equal(await probe.get(a.follower!['deps'].store.keys.active), version, 'the activation is on the new primary');
  await servingVersion(a.tables, version, FOLLOW_DEADLINE_MS);
  const cli = await tablesCli({}, 'list', '--sentinels', set.env.REDIS_SENTINELS, '--master', set.masterName);
  t.equal(cli.code, 0, `the ops CLI reaches the new primary through the sentinels ${cli.stderr}`);
  t.match(cli.stdout, version);
  t.comment(`SENTINEL FAILOVER: +switch-master after ${switched.at - askedAt} ms`);
  t.comment(`  instance data connection on the new primary ${movedAt - switched.at} ms after +switch-master`);
});
