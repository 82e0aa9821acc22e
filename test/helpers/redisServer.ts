import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export type RedisServer = {
  url: string;
  port: number;
  /** false when REDIS_URL points at a Redis this harness did not start: it cannot kill or restart it. */
  managed: boolean;
  /** SIGKILL, as a crash; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty, unless started with persistent). */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** SIGSTOP: the process keeps its sockets open but answers nothing, as a hung Redis does. */
  pause(): void;
  /** SIGCONT after pause(): it answers what queued up meanwhile. */
  resume(): void;
  /** Shuts it down for good and removes its files (teardown). */
  stop(): Promise<void>;
};

export type RedisServerOptions = {
  /** Append-only file with fsync always, so data survives kill(); otherwise a restart comes back empty. */
  persistent?: boolean;
  /** More redis-server arguments, after the harness's own (e.g. a maxmemory-policy). */
  args?: string[];
};

/**
 * A real redis-server for one test file, on a free port, ready when this resolves (it waits for
 * "Ready to accept connections", no sleeps). With REDIS_URL set, that Redis is used instead.
 */
export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const external = process.env.REDIS_URL;
  if (external) {
    const unmanaged = () =>
      Promise.reject(new Error('REDIS_URL is set: this Redis is not managed by the test harness'));
    const refuse = () => {
      throw new Error('REDIS_URL is set: this Redis is not managed by the test harness');
    };
    return {
      url: external,
      port: Number(new URL(external).port || 6379),
      managed: false,
      kill: unmanaged,
      start: unmanaged,
      restart: unmanaged,
      pause: refuse,
      resume: refuse,
      stop: async () => {},
    };
  }
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'crisis-route-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    ...(options.persistent ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']),
    ...(options.args ?? []),
  ];
  let child: ChildProcess | null = null;

  const start = async () => {
    child = await spawnReady(args);
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    managed: true,
    kill,
    start,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    restart: async () => {
      await kill();
      await start();
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A key namespace of its own, for tests sharing a Redis given by REDIS_URL. */
export function testNamespace(): string {
  return `crisis-route-test-${process.pid}-${randomBytes(4).toString('hex')}`;
}

function spawnReady(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining so the server never blocks on a full pipe
        child.off('exit', onExit);
        resolve(child);
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`redis-server exited (${code}) before it was ready:\n${output.slice(-2000)}`));
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
    child.once('error', (error) => reject(new Error(`cannot start redis-server (is it installed?): ${error.message}`)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
