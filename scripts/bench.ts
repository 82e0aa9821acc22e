/**
 * npm run bench: the route API against its limit and its peers, on BENCHMARKS.md's method. Each
 * server runs alone on core 0 (taskset), wrk (native; apt-get install wrk) on core 1 with the
 * redis-server, rounds alternating between the servers. Rows: bare Fastify answering the same bytes,
 * the service as shipped embedded and Redis-backed, both on a RAINN-scale table (1,100 fictional
 * centers, the full exchange geography), and two peers that ask Redis on every call. Prints the
 * table and the targets, and writes them into BENCHMARKS.md between its bench markers.
 *   npm run bench -- [--seconds 10] [--rounds 3] [--warmup 5] [--paths 1000] [--mixes zip,location] [--print-only]
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { alternate, paced, summarize } from './bench/alternating.js';
import { PROFILES } from './bench/loadProfiles.js';
import { coreFigures, memory, reloadUnderLoad } from './bench/national.js';
import { dataDirWith, nationalVersions, PEER_KEY, upload } from './bench/nationalTables.js';
import {
  answers,
  median,
  medianBody,
  SERVICE_ENV,
  startBare,
  startPinned,
  type Server,
} from './bench/pinnedServers.js';
import { startRedisServer } from './bench/processes.js';
import { BARE, EXPRESS, mixTable, targetTables, writeSection, type Mix } from './bench/report.js';
import { pathScript, requireTools, wrkRound } from './bench/wrkRound.js';

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '5' },
    paths: { type: 'string', default: '1000' },
    mixes: { type: 'string', default: Object.keys(PROFILES).join(',') },
    'print-only': { type: 'boolean', default: false },
  },
});
const seconds = Number(options.seconds);
const rounds = Number(options.rounds);
const mixNames = options.mixes.split(',');
for (const mix of mixNames) if (!PROFILES[mix]) throw new Error(`unknown mix ${mix}: ${Object.keys(PROFILES)}`);
const TOKEN = 'bench-admin-token-0123456789';

requireTools();
console.error('building dist/ …');
execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
const loadBefore = loadavg()[0]!;

// Three versions of the national table (one center's hours apart): more than an instance keeps compiled (2).
const tables = await nationalVersions(3);
const dataDir = dataDirWith(tables[0]!);
const redis = await startRedisServer(1);
process.on('exit', () => void redis.child.kill('SIGTERM'));
const redisUrl = `redis://127.0.0.1:${redis.port}`;
const service = (name: string, env: Record<string, string>) =>
  startPinned(name, process.cwd(), ['dist/src/server.js'], { ...SERVICE_ENV, ...env }, '/readyz');
const peer = (name: string, kind: string) =>
  startPinned(
    name,
    process.cwd(),
    ['--import', 'tsx', 'scripts/bench/redisPeer.ts', kind],
    { REDIS_URL: redisUrl },
    '/healthz',
  );

const embedded = await service('service, embedded', { DATA_DIR: dataDir });
const withRedis = await service('service, Redis-backed', { REDIS_URL: redisUrl, ADMIN_TOKEN: TOKEN });
const loaded = await upload(withRedis.port, TOKEN, tables[0]!, true);
console.error(`national table ${loaded.version}: ${loaded.centers} centers, compiled in ${loaded.compileMs} ms`);
const others: string[] = [];
for (const csv of tables.slice(1)) others.push((await upload(withRedis.port, TOKEN, csv, false)).version);
const peers = [await peer('Fastify, Redis per call', 'fastify'), await peer(EXPRESS, 'express')];
const client = new Redis(redisUrl);

const mixes: Mix[] = [];
for (const mix of mixNames) {
  const paths = PROFILES[mix]!.slice(0, Number(options.paths));
  const bodies = await answers(withRedis.port, paths);
  await answers(embedded.port, paths);
  await client.mset(...paths.flatMap((p, i) => [PEER_KEY(p), bodies[i]!]));
  const bare = await startBare(medianBody(bodies));
  const servers = [bare, embedded, withRedis, ...peers];
  const script = pathScript(paths);
  for (const s of servers) await wrkRound(s.pid, s.port, script, Number(options.warmup));
  const saturated = await alternate(servers, script, seconds, rounds, mix);
  // Latency at a fixed rate: half of bare's best, the same for every server.
  const half = paced(paths, Math.max(...saturated.get(bare)!.map((r) => r.rps)) / 2);
  const atHalf = await alternate(servers, half.script, seconds, rounds, `${mix} at ${half.rate}/s`, half.options);
  bare.stop();
  const rows = servers.map((s: Server) => ({
    server: s.name,
    summary: summarize(saturated.get(s)!, saturated.get(bare)!),
    pacedP99: median(atHalf.get(s)!.map((r) => r.p99Ms)),
    pacedRps: median(atHalf.get(s)!.map((r) => r.rps)),
  }));
  mixes.push({ mix, pacedRate: half.rate, rows });
}
client.disconnect();
for (const p of peers) p.stop();

const mem = await memory([embedded, withRedis]);
embedded.stop();
const first = mixes[0]!;
const reloadRate = first.rows.find((r) => r.server === BARE)!.summary.rps / 2;
const reload = await reloadUnderLoad(
  withRedis,
  TOKEN,
  [...others, loaded.version],
  PROFILES[first.mix]!.slice(0, Number(options.paths)),
  reloadRate,
  seconds,
);
withRedis.stop();
const national = { centers: loaded.centers, compileMs: loaded.compileMs, memory: mem, reload, ...coreFigures(dataDir) };

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`;
const section = [
  `At ${commit}, ${new Date().toISOString().slice(0, 16)}Z, Node ${process.versions.node}, ${machine}: ` +
    `${rounds} alternating rounds of ${seconds} s per mix after ${options.warmup} s of warm-up, ` +
    `${options.paths} paths per mix, ${national.centers} centers; load average (1 min) ` +
    `${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}. ½ bare's rate: ` +
    `${mixes.map((m) => `${m.mix} ${m.pacedRate.toFixed(0)}/s`).join(', ')} (the rate reached in brackets); ` +
    `reload at ${reload.rate.toFixed(0)} req/s reached (${first.mix}).`,
  '',
  ...mixTable(mixes),
  '',
  ...targetTables(mixes, national),
];
console.log(section.join('\n'));
if (!options['print-only']) writeSection('BENCHMARKS.md', section);
process.exit(0);
