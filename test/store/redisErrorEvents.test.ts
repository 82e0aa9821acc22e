import t from 'tap';
import { freePort, startRedis } from '../helpers/redisServer.js';
import { startServer, type ServerProcess } from '../helpers/serverProcess.js';

const redis = await startRedis();
t.teardown(() => redis.stop());
const skip = redis.managed ? false : 'REDIS_URL is set: cannot kill a Redis this harness did not start';

const env = async (redisUrl: string) => ({
  REDIS_URL: redisUrl,
  PORT: String(await freePort()),
  HOST: '127.0.0.1',
  ADMIN_TOKEN: 'ops:test-admin-token-0123456789',
  TABLES_RECHECK_MS: '500',
});

const stopped = async (server: ServerProcess) => {
  server.child.kill('SIGTERM');
  await server.exited;
};

t.test(
  'no ioredis "Unhandled error event" on stderr when Redis dies, or is not there at start',
  { skip },
  async (t) => {
    const running = startServer(await env(redis.url));
    t.teardown(() => void running.child.kill('SIGKILL'));
    await running.waitFor('Server listening');

    await redis.kill();
    // Each connection (data, subscriber, control, rate limiter) fails its reconnects from here on.
    await running.waitFor('Redis unreachable; serving the loaded tables');
    await running.waitFor("rate limits count in this instance's memory");

    // Nothing listens on this port: every connection fails from the first attempt, before the follower starts.
    const absent = startServer(await env(`redis://127.0.0.1:${await freePort()}`));
    t.teardown(() => void absent.child.kill('SIGKILL'));
    await absent.waitFor('Server listening');
    // Several reconnect attempts on every connection (backoff from 50 ms, capped at 2 s).
    await new Promise((resolve) => setTimeout(resolve, 3000));

    await Promise.all([stopped(running), stopped(absent)]);
    for (const [name, server] of [
      ['running', running],
      ['absent', absent],
    ] as const) {
      t.notMatch(server.stderr(), /Unhandled error event/, `${name}: no unhandled error events`);
      t.notMatch(server.stderr(), /ECONNREFUSED/, `${name}: no connection errors on stderr`);
    }
  },
);
