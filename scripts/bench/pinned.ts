/**
 * CPU per request of the route API in two builds against bare Fastify, on issue 19's method: each
 * server pinned to core 0, wrk pinned to core 1, rounds alternating between the servers.
 *   npm run bench:pinned -- --before <built checkout> --after <built checkout> [--seconds 10] [--rounds 3]
 * Each checkout needs `npm ci && npm run build`; the servers run on the Node that runs this script.
 */
import { execFileSync, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES } from './loadProfiles.js';
import { freePort, waitFor } from './processes.js';
import { pathScript, wrkRound, type Round } from './wrkRound.js';

const { values: options } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    paths: { type: 'string', default: '300' },
    mixes: { type: 'string', default: 'phone E.164,zip,location' },
  },
});
if (!options.before || !options.after) throw new Error('usage: --before <checkout> --after <checkout>');

// As shipped (production, logging at info, rate limiting on), with allowances wrk never reaches.
const SERVICE_ENV = {
  NODE_ENV: 'production',
  ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true',
  HOST: '127.0.0.1',
  RATE_LIMIT_TELEPHONY_PER_IP: '1000000000',
  RATE_LIMIT_TELEPHONY_PER_KEY: '1000000000',
  RATE_LIMIT_PUBLIC_PER_IP: '1000000000',
};

type Server = { name: string; pid: number; port: number; stop(): void };
const started: Server[] = [];
// Servers outlive a failed or interrupted run otherwise, each holding core 0.
process.on('exit', () => started.forEach((s) => s.stop()));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(1));

async function startPinned(name: string, cwd: string, args: string[], env: Record<string, string>, ready: string) {
  const port = await freePort();
  const { REDIS_URL: _redis, REDIS_SENTINELS: _sentinels, ...inherited } = process.env;
  const child = spawn('taskset', ['-c', '0', process.execPath, ...args], {
    cwd,
    env: { ...inherited, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const server: Server = { name, pid: child.pid!, port, stop: () => void child.kill('SIGTERM') };
  started.push(server);
  await waitFor(`http://127.0.0.1:${port}${ready}`, 60_000, child);
  return server;
}

async function answers(port: number, paths: string[]): Promise<string[]> {
  const bodies: string[] = [];
  for (const path of paths) {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status} on port ${port}`);
    bodies.push(await response.text());
  }
  return bodies;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const commit = (dir: string) => execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD']).toString().trim();
const builds = [options.before, options.after].map((dir) => ({ dir: resolve(dir), commit: commit(dir) }));
const rows: string[] = [];
const loads: string[] = [];
const errors: string[] = [];

for (const mix of options.mixes.split(',')) {
  const paths = PROFILES[mix]!.slice(0, Number(options.paths));
  const load = loadavg()[0]!.toFixed(1);
  const services: Server[] = [];
  for (const [i, build] of builds.entries()) {
    const name = `${i === 0 ? 'before' : 'after'} ${build.commit}`;
    services.push(await startPinned(name, build.dir, ['dist/src/server.js'], SERVICE_ENV, '/readyz'));
  }
  const bodies = await Promise.all(services.map((s) => answers(s.port, paths)));
  // Bare answers one real route answer of this mix, of the median length.
  const body = [...bodies[1]!].sort((a, b) => a.length - b.length)[Math.floor(paths.length / 2)]!;
  const bare = await startPinned(
    'bare Fastify',
    process.cwd(),
    ['--import', 'tsx', 'scripts/bench/bareServer.ts'],
    {
      BENCH_BODY: body,
    },
    '/',
  );
  const servers = [bare, ...services];
  const script = pathScript(paths);
  const results = new Map<Server, Round[]>(servers.map((s) => [s, []]));
  for (const s of servers) await wrkRound(s.pid, s.port, script, Number(options.warmup));
  for (let round = 1; round <= Number(options.rounds); round++) {
    for (const s of servers) {
      const r = await wrkRound(s.pid, s.port, script, Number(options.seconds));
      results.get(s)!.push(r);
      const line = `${r.rps.toFixed(0)} req/s, ${r.cpuUsPerRequest.toFixed(1)} µs, load ${loadavg()[0]!.toFixed(1)}`;
      console.error(`${mix} round ${round} ${s.name}: ${line} ${r.socketErrors}`);
      if (r.socketErrors) errors.push(`${mix} round ${round} ${s.name}: ${r.socketErrors}`);
    }
  }
  for (const s of servers) s.stop();
  loads.push(`${mix} ${load} → ${loadavg()[0]!.toFixed(1)}`);
  // The ratio is taken round by round (bare's round just before), then the median: other tenants' load drifts.
  const bareRounds = results.get(bare)!;
  for (const s of servers) {
    const rounds = results.get(s)!;
    const cpu = median(rounds.map((r) => r.cpuUsPerRequest));
    const cells = [
      Math.max(...rounds.map((r) => r.rps)).toFixed(0),
      cpu.toFixed(1),
      median(rounds.map((r, i) => r.cpuUsPerRequest / bareRounds[i]!.cpuUsPerRequest)).toFixed(2),
      median(rounds.map((r) => r.p50Ms)).toFixed(2),
      median(rounds.map((r) => r.p99Ms)).toFixed(2),
    ];
    rows.push(`| ${s.name} | ${mix} | ${cells.join(' | ')} |`);
  }
}

console.log('| Server | Mix | req/s (best) | CPU µs/request (median) | CPU × bare | p50 ms | p99 ms |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
console.log(rows.join('\n'));
console.log(`\nNode ${process.versions.node}; load average (1 min) before → after each mix: ${loads.join(', ')}`);
if (errors.length > 0) console.log(`Socket errors: ${errors.join('; ')}`);
