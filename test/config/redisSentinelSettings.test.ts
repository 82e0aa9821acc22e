import t from 'tap';
import { configProblems } from '../helpers/config.js';
import { loadConfig } from '../../src/config.js';
import { describeRedisTarget } from '../../src/store/redisConnection.js';
import { redisTargetFrom } from '../../src/settings.js';

const problems = configProblems;

t.test('REDIS_SENTINELS and REDIS_SENTINEL_MASTER name a Sentinel set', async (t) => {
  const config = loadConfig({
    REDIS_SENTINELS: 'sentinel-a:26380, 10.0.0.2 ,[::1]:26381',
    REDIS_SENTINEL_MASTER: 'crisis-route',
    REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
    REDIS_PASSWORD: 'data-secret',
  });
  const target = redisTargetFrom(config);
  t.same(target, {
    sentinels: [
      { host: 'sentinel-a', port: 26380 },
      { host: '10.0.0.2', port: 26379 },
      { host: '::1', port: 26381 },
    ],
    masterName: 'crisis-route',
    sentinelPassword: 'sentinel-secret',
    password: 'data-secret',
  });
  const described = describeRedisTarget(target!);
  t.equal(described, 'the primary of crisis-route via sentinels sentinel-a:26380,10.0.0.2:26379,[::1]:26381');
  t.notMatch(described, /secret/, 'never a password');
});

t.test('without Redis settings there is no target; REDIS_URL is one server', async (t) => {
  t.equal(redisTargetFrom(loadConfig({})), null);
  t.same(redisTargetFrom(loadConfig({ REDIS_URL: 'redis://:pw@cache:6380/0' })), { url: 'redis://:pw@cache:6380/0' });
  t.equal(describeRedisTarget({ url: 'redis://:pw@cache:6380/0' }), 'cache:6380');
});

t.test('the Sentinel settings are refused when incomplete, malformed or mixed with REDIS_URL', async (t) => {
  const together = 'REDIS_SENTINELS and REDIS_SENTINEL_MASTER go together: set both or neither';
  t.same(problems({ REDIS_SENTINELS: 'a:26379' }), [`REDIS_SENTINEL_MASTER: ${together}`]);
  t.same(problems({ REDIS_SENTINEL_MASTER: 'm' }), [`REDIS_SENTINELS: ${together}`]);
  t.same(problems({ REDIS_SENTINELS: 'a:99999', REDIS_SENTINEL_MASTER: 'm' }), [
    'REDIS_SENTINELS="a:99999": must be the sentinels as host:port,host:port (port 1 to 65535, default 26379)',
  ]);
  t.same(problems({ REDIS_SENTINELS: 'a', REDIS_SENTINEL_MASTER: 'has space' }), [
    'REDIS_SENTINEL_MASTER="has space": must be the master name the sentinels monitor (letters, digits . _ -)',
  ]);
  t.same(problems({ REDIS_URL: 'redis://x:6379', REDIS_SENTINELS: 'a', REDIS_SENTINEL_MASTER: 'm' }), [
    'REDIS_SENTINELS="a": set either REDIS_URL (one Redis) or REDIS_SENTINELS (a Sentinel set), not both',
  ]);
});

t.test('the passwords are only for a Sentinel set and never printed', async (t) => {
  const only = 'is only used with REDIS_SENTINELS (with REDIS_URL, the password goes in the URL)';
  t.same(problems({ REDIS_URL: 'redis://x', REDIS_PASSWORD: 'hunter2-hunter2' }), [`REDIS_PASSWORD: ${only}`]);
  t.same(problems({ REDIS_SENTINEL_PASSWORD: 'hunter2-hunter2' }), [`REDIS_SENTINEL_PASSWORD: ${only}`]);
  t.equal(loadConfig({}).REDIS_PASSWORD, undefined);
});
