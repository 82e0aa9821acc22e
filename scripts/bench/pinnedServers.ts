/**
 * Servers for issue 19's method: each started under `taskset -c 0` on a free port, stopped when the
 * benchmark exits however it exits. Shared by npm run bench and npm run bench:pinned.
 */
import { spawn } from 'node:child_process';
import { freePort, waitFor } from './processes.js';

// As shipped (production, logging at info, rate limiting on), with allowances wrk never reaches.
export const SERVICE_ENV = {
  NODE_ENV: 'production',
  ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true',
  HOST: '127.0.0.1',
  RATE_LIMIT_TELEPHONY_PER_IP: '1000000000',
  RATE_LIMIT_TELEPHONY_PER_KEY: '1000000000',
  RATE_LIMIT_PUBLIC_PER_IP: '1000000000',
  RATE_LIMIT_ADMIN_PER_IP: '1000000000',
};

export type Server = { name: string; pid: number; port: number; stop(): void };
const started: Server[] = [];
// Servers outlive a failed or interrupted run otherwise, each holding core 0.
process.on('exit', () => started.forEach((s) => s.stop()));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(1));

export async function startPinned(
  name: string,
  cwd: string,
  args: string[],
  env: Record<string, string>,
  ready: string,
): Promise<Server> {
  const port = await freePort();
  const { REDIS_URL: _redis, REDIS_SENTINELS: _sentinels, ...inherited } = process.env;
  const child = spawn('taskset', ['-c', '0', process.execPath, ...args], {
    cwd,
    env: { ...inherited, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server: Server = { name, pid: child.pid!, port, stop: () => void child.kill('SIGTERM') };
  started.push(server);
  await waitFor(`http://127.0.0.1:${port}${ready}`, 120_000, child);
  return server;
}

/** Bare Fastify answering `body` to every path: the limit a Fastify service can reach here. */
export const startBare = (body: string) =>
  startPinned(
    'bare Fastify',
    process.cwd(),
    ['--import', 'tsx', 'scripts/bench/bareServer.ts'],
    { BENCH_BODY: body },
    '/',
  );

/** Every path's answer from a server; anything but a 200 stops the benchmark (it would not measure the route). */
export async function answers(port: number, paths: string[]): Promise<string[]> {
  const bodies: string[] = [];
  for (const path of paths) {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status} on port ${port}`);
    bodies.push(await response.text());
  }
  return bodies;
}

/** The answer of median length: what bare Fastify sends for a mix. */
export const medianBody = (bodies: string[]) =>
  [...bodies].sort((a, b) => a.length - b.length)[Math.floor(bodies.length / 2)]!;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
