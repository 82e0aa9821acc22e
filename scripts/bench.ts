/**
 * npm run bench: the route API as shipped (production settings, rate limiting on, logging on)
 * side by side with bare Fastify answering a fixed body of the same size, under the same load.
 * One machine, one run; both servers are started here as their own processes.
 */
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { PROFILES } from './bench/loadProfiles.js';
import { rssMb, startProcess, startRedisServer, type Running } from './bench/processes.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ADMIN_TOKEN = 'bench-admin-token';

type Result = { name: string; rps: number; p50: number; p99: number; errors: number; non2xx: number };

async function load(port: number, paths: string[], seconds = SECONDS): Promise<Result & { raw: autocannon.Result }> {
  let i = 0;
  const raw = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  return { name: '', rps: raw.requests.average, p50: raw.latency.p50, p99: raw.latency.p99, errors: raw.errors + raw.timeouts, non2xx: raw.non2xx, raw };
}

function serviceEnv(extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true',
    HOST: '127.0.0.1',
    // High enough that the benchmark's load is never refused; the limiter still runs on every request.
    RATE_LIMIT_TELEPHONY_PER_IP: '1000000000',
    RATE_LIMIT_PUBLIC_PER_IP: '1000000000',
    RATE_LIMIT_ADMIN_PER_IP: '1000000000',
    ADMIN_TOKEN,
    ...extra,
  };
}

/** A route query's targets: ≥ 0.90 × bare's req/s, p99 ≤ 1.5 × bare's, no errors. A reload's: no errors. */
type Judge = 'route query' | 'reload';
type Paired = Result & { bare: Result };
const HEADER = `${'run'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50ms'.padStart(6)} ${'p99ms'.padStart(6)} ${'bare req/s'.padStart(11)} ${'bare p99'.padStart(9)} ${'×bare'.padStart(6)} ${'p99×bare'.padStart(8)} ${'errors'.padStart(7)}`;
const row = (r: Paired, judge: Judge) => {
  const ratio = r.rps / r.bare.rps;
  const p99Ratio = r.bare.p99 > 0 ? r.p99 / r.bare.p99 : 1;
  const clean = r.errors === 0 && r.non2xx === 0;
  const ok = judge === 'reload' ? clean : ratio >= 0.9 && p99Ratio <= 1.5 && clean;
  return `${r.name.padEnd(28)} ${r.rps.toFixed(0).padStart(8)} ${String(r.p50).padStart(6)} ${String(r.p99).padStart(6)} ${r.bare.rps.toFixed(0).padStart(11)} ${String(r.bare.p99).padStart(9)} ${ratio.toFixed(2).padStart(6)} ${p99Ratio.toFixed(2).padStart(8)} ${String(r.errors + r.non2xx).padStart(7)}  ${ok ? 'ok' : 'MISSED'}`;
};

async function main(): Promise<void> {
  console.error('building dist/ …');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const cores = (await import('node:os')).cpus();
  console.log(`machine: ${cores.length} × ${cores[0]?.model ?? 'cpu'}, node ${process.version}; ${CONNECTIONS} connections, ${SECONDS} s per run\n`);

  const service = await startProcess('node', ['dist/src/server.js'], serviceEnv({}), (p) => `http://127.0.0.1:${p}/readyz`);
  const sample = await (await fetch(`http://127.0.0.1:${service.port}${PROFILES['phone E.164']![0]}`)).text();
  const bareServer = await startProcess('node', ['--import', 'tsx', 'scripts/bench/bareServer.ts'], { BENCH_BODY: sample }, (p) => `http://127.0.0.1:${p}/`);

  const results: Paired[] = [];
  // Each run is paired with a run of the ceiling just before it, and compared with that one: on a
  // shared machine throughput drifts by tens of percent within a minute, and a ceiling measured
  // once at the start would make later runs look better or worse than they are.
  const paired = async (port: number, paths: string[], name: string, during?: () => Promise<void>): Promise<Paired> => {
    const bare = await load(bareServer.port, ['/']);
    const result = during ? (await Promise.all([load(port, paths), during()]))[0] : await load(port, paths);
    return { ...result, name, bare };
  };
  // Warm both up so the JIT has settled before anything is measured.
  await load(bareServer.port, ['/'], 2);
  await load(service.port, PROFILES['phone E.164']!, 2);
  for (const [name, paths] of Object.entries(PROFILES)) results.push(await paired(service.port, paths, `embedded: ${name}`));
  const embeddedRss = rssMb(service.child.pid!);
  await service.stop();

  let redisRss = NaN;
  let reload: { result: Paired; activations: number } | undefined;
  const redis: Running | undefined = await startRedisServer().catch(() => undefined);
  if (redis) {
    const withRedis = await startProcess('node', ['dist/src/server.js'], serviceEnv({ REDIS_URL: `redis://127.0.0.1:${redis.port}` }), (p) => `http://127.0.0.1:${p}/readyz`);
    await load(withRedis.port, PROFILES['phone E.164']!, 2);
    for (const [name, paths] of Object.entries(PROFILES)) results.push(await paired(withRedis.port, paths, `redis: ${name}`));
    redisRss = rssMb(withRedis.child.pid!);
    reload = await reloadUnderLoad(withRedis.port, (paths, flip) => paired(withRedis.port, paths, 'reload under load', flip));
    await withRedis.stop();
    await redis.stop();
  }
  await bareServer.stop();

  console.log(HEADER);
  for (const r of results) console.log(row(r, 'route query'));
  if (reload) console.log(row({ ...reload.result, name: `reload under load (${reload.activations}×)` }, 'reload'));
  console.log(`\nRSS after load: embedded ${embeddedRss.toFixed(0)} MB, with Redis ${Number.isNaN(redisRss) ? 'n/a' : `${redisRss.toFixed(0)} MB`} (target ≤ 200 MB)`);
  console.log('full-table compile time: see `npm run bench:core` (printed below)');
  execFileSync('npx', ['tsx', 'scripts/bench-core.ts'], { stdio: 'inherit' });
}

/** Activate the versions back and forth through the admin API while the phone load runs. */
async function reloadUnderLoad(port: number, run: (paths: string[], during: () => Promise<void>) => Promise<Paired>): Promise<{ result: Paired; activations: number } | undefined> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const list = async () => ((await (await fetch(`http://127.0.0.1:${port}/v1/admin/datasets`, { headers })).json()) as { versions: Array<{ version: string; active: boolean }> }).versions;
  const versions = await list().catch(() => []);
  if (versions.length === 0) return undefined;
  const csv = await (await fetch(`http://127.0.0.1:${port}/v1/admin/datasets/${versions[0]!.version}/affiliates`, { headers })).text();
  const edited = csv.replace('Sample Center Albany (fictional)', 'Sample Center Albany renamed (fictional)');
  await fetch(`http://127.0.0.1:${port}/v1/admin/datasets`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body: edited });
  const both = (await list()).slice(0, 2).map((v) => v.version);
  let activations = 0;
  // Flips every second for as long as the service's load runs (the paired ceiling run comes first).
  const result = await run(PROFILES['phone E.164']!, async () => {
    const until = Date.now() + SECONDS * 1000;
    while (Date.now() < until) {
      await fetch(`http://127.0.0.1:${port}/v1/admin/datasets/${both[activations % both.length]}/activate`, { method: 'POST', headers });
      activations++;
      await new Promise((r) => setTimeout(r, 1000));
    }
  });
  return { result, activations };
}

await main();
