/**
 * npm run bench: the route API as shipped (production settings, rate limiting on, logging on)
 * side by side with bare Fastify answering a fixed body of the same size, under the same load.
 * One machine, one run; both servers are started here as their own processes.
 */
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import { PROFILES } from './bench/loadProfiles.js';
import { cpuMs, rssMb, startProcess, startRedisServer, type Running } from './bench/processes.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** Each run is cut into one-second slices, taken in turn with the bare server's (below). */
const SLICES = Math.max(1, Math.round(SECONDS));
const ADMIN_TOKEN = 'bench-admin-token';

type Result = { name: string; rps: number; p50: number; p99: number; cpuUs: number; errors: number; non2xx: number };
type Slice = { requests: number; seconds: number; cpuMs: number; latencies: number[]; errors: number; non2xx: number };

async function load(server: Running, paths: string[], seconds: number): Promise<Slice> {
  const port = server.port;
  const cpuBefore = cpuMs(server.child.pid!);
  let i = 0;
  const latencies: number[] = [];
  const raw = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    // autocannon's own histogram keeps whole milliseconds, and both servers' p99 is 1-5 ms: the
    // response times themselves are kept here, to the microsecond.
    instance.on('response', (_client, _status, _bytes, ms) => void latencies.push(ms));
  });
  return {
    requests: raw.requests.total,
    seconds: raw.duration,
    cpuMs: cpuMs(server.child.pid!) - cpuBefore,
    latencies,
    errors: raw.errors + raw.timeouts,
    non2xx: raw.non2xx,
  };
}

function summary(slices: Slice[]): Result {
  const latencies = slices.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const sum = (f: (s: Slice) => number) => slices.reduce((n, s) => n + f(s), 0);
  const rps = sum((s) => s.requests) / sum((s) => s.seconds);
  return {
    name: '',
    rps,
    p50: at(0.5),
    p99: at(0.99),
    cpuUs: (sum((s) => s.cpuMs) * 1000) / sum((s) => s.requests),
    errors: sum((s) => s.errors),
    non2xx: sum((s) => s.non2xx),
  };
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

/**
 * A route query's targets: ≥ 0.90 × bare's req/s, p99 ≤ 1.5 × bare's, no errors. A reload's: no
 * errors. A reference row is shown, not judged. cpu×bare (server CPU per request against bare's)
 * is shown, not judged: it is steadier than req/s, and a row set near 1.9 is a process in Node's
 * high-cost mode (BENCHMARKS.md), where ~1.3 is the usual.
 */
type Judge = 'route query' | 'reload' | 'reference';
type Paired = Result & { bare: Result };
const WIDTHS = [8, 7, 7, 11, 9, 6, 8, 8, 7];
const line = (name: string, cells: string[]) =>
  [name.padEnd(28), ...cells.map((cell, i) => cell.padStart(WIDTHS[i]!))].join(' ');
const HEADINGS = ['req/s', 'p50 ms', 'p99 ms', 'bare req/s', 'bare p99', '×bare', 'p99×bare', 'cpu×bare', 'errors'];
const HEADER = line('run', HEADINGS);
const row = (r: Paired, judge: Judge) => {
  const ratio = r.rps / r.bare.rps;
  const p99Ratio = r.bare.p99 > 0 ? r.p99 / r.bare.p99 : 1;
  const clean = r.errors === 0 && r.non2xx === 0;
  const ok = judge === 'reload' ? clean : ratio >= 0.9 && p99Ratio <= 1.5 && clean;
  const verdict = judge === 'reference' ? '' : ok ? 'ok' : 'MISSED';
  const cells = [r.rps.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), r.bare.rps.toFixed(0), r.bare.p99.toFixed(2)];
  cells.push(ratio.toFixed(2), p99Ratio.toFixed(2), (r.cpuUs / r.bare.cpuUs).toFixed(2), String(r.errors + r.non2xx));
  return `${line(r.name, cells)}  ${verdict}`;
};

async function main(): Promise<void> {
  console.error('building dist/ …');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  const cores = (await import('node:os')).cpus();
  const machine = `${cores.length} × ${cores[0]?.model ?? 'cpu'}, node ${process.version}`;
  console.log(`machine: ${machine}; ${CONNECTIONS} connections, ${SECONDS} s per run\n`);

  const startService = (extra: Record<string, string>) =>
    startProcess('node', ['dist/src/server.js'], serviceEnv(extra), (p) => `http://127.0.0.1:${p}/readyz`);
  const service = await startService({});
  const sample = await (await fetch(`http://127.0.0.1:${service.port}${PROFILES['phone E.164']![0]}`)).text();
  const bareServer = await startProcess(
    'node',
    ['--import', 'tsx', 'scripts/bench/bareServer.ts'],
    { BENCH_BODY: sample },
    (p) => `http://127.0.0.1:${p}/`,
  );

  const results: Paired[] = [];
  // Each run is paired with the ceiling's, slice by slice: a second of bare, a second of the
  // service, and again. On this shared machine throughput drifts by tens of percent within a
  // minute; runs taken in turn see the same drift, where one long run each would not. Both get
  // the same requests: bare Fastify parses the same request lines and query strings (its route
  // is a wildcard) and answers them with its fixed body.
  const paired = async (
    server: Running,
    paths: string[],
    name: string,
    eachSlice?: () => Promise<void>,
  ): Promise<Paired> => {
    const bare: Slice[] = [];
    const service: Slice[] = [];
    for (let i = 0; i < SLICES; i++) {
      bare.push(await load(bareServer, paths, SECONDS / SLICES));
      service.push(
        eachSlice
          ? (await Promise.all([load(server, paths, SECONDS / SLICES), eachSlice()]))[0]
          : await load(server, paths, SECONDS / SLICES),
      );
    }
    return { ...summary(service), name, bare: summary(bare) };
  };
  // Warm both up so the JIT has settled before anything is measured.
  await load(bareServer, PROFILES['phone E.164']!, 2);
  await load(service, PROFILES['phone E.164']!, 2);
  for (const [name, paths] of Object.entries(PROFILES)) results.push(await paired(service, paths, `embedded: ${name}`));
  const embeddedRss = rssMb(service.child.pid!);
  await service.stop();

  // For reference, not a shipped default: what a line per routine answer costs (ACCESS_LOG_ROUTINE=each).
  const lined = await startService({ ACCESS_LOG_ROUTINE: 'each' });
  await load(lined, PROFILES['phone E.164']!, 2);
  const reference = await paired(lined, PROFILES['phone E.164']!, 'a line per answer: phone');
  await lined.stop();

  let redisRss = NaN;
  let reload: { result: Paired; activations: number } | undefined;
  const redis: Running | undefined = await startRedisServer().catch(() => undefined);
  if (redis) {
    const withRedis = await startService({ REDIS_URL: `redis://127.0.0.1:${redis.port}` });
    await load(withRedis, PROFILES['phone E.164']!, 2);
    for (const [name, paths] of Object.entries(PROFILES))
      results.push(await paired(withRedis, paths, `redis: ${name}`));
    redisRss = rssMb(withRedis.child.pid!);
    reload = await reloadUnderLoad(withRedis.port, (paths, flip) =>
      paired(withRedis, paths, 'reload under load', flip),
    );
    await withRedis.stop();
    await redis.stop();
  }
  await bareServer.stop();

  console.log(HEADER);
  for (const r of results) console.log(row(r, 'route query'));
  console.log(row(reference, 'reference'));
  if (reload) console.log(row({ ...reload.result, name: `reload under load (${reload.activations}×)` }, 'reload'));
  const withRedis = Number.isNaN(redisRss) ? 'n/a' : `${redisRss.toFixed(0)} MB`;
  console.log(`\nRSS after load: embedded ${embeddedRss.toFixed(0)} MB, with Redis ${withRedis} (target ≤ 200 MB)`);
  console.log('full-table compile time: see `npm run bench:core` (printed below)');
  execFileSync('npx', ['tsx', 'scripts/bench-core.ts'], { stdio: 'inherit' });
}

/** Activate the versions back and forth through the admin API while the phone load runs. */
async function reloadUnderLoad(
  port: number,
  run: (paths: string[], eachSlice: () => Promise<void>) => Promise<Paired>,
): Promise<{ result: Paired; activations: number } | undefined> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const list = async () =>
    (
      (await (await fetch(`http://127.0.0.1:${port}/v1/admin/datasets`, { headers })).json()) as {
        versions: Array<{ version: string; active: boolean }>;
      }
    ).versions;
  const versions = await list().catch(() => []);
  if (versions.length === 0) return undefined;
  const csv = await (
    await fetch(`http://127.0.0.1:${port}/v1/admin/datasets/${versions[0]!.version}/affiliates`, { headers })
  ).text();
  const edited = csv.replace('Sample Center Albany (fictional)', 'Sample Center Albany renamed (fictional)');
  await fetch(`http://127.0.0.1:${port}/v1/admin/datasets`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'text/csv' },
    body: edited,
  });
  const both = (await list()).slice(0, 2).map((v) => v.version);
  let activations = 0;
  // One activation in each of the service's one-second slices, half a second in.
  const result = await run(PROFILES['phone E.164']!, async () => {
    await new Promise((r) => setTimeout(r, 500));
    await fetch(`http://127.0.0.1:${port}/v1/admin/datasets/${both[activations % both.length]}/activate`, {
      method: 'POST',
      headers,
    });
    activations++;
  });
  return { result, activations };
}

await main();
