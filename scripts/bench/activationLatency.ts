/**
 * Route latency while RAINN-scale tables (1,100 centers) are uploaded and activated, against the
 * same load without them: two instances on one redis-server (A uploads, B only follows), requests
 * at a constant rate to both (open loop: a stalled server cannot slow the generator).
 * Run: npm run build && tsx scripts/bench/activationLatency.ts [--server dist/src/server.js] [--seconds 30]
 */
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { startRedis } from '../../test/helpers/redisServer.js';
import { startServiceProcess, type ServiceProcess } from '../soak/instances.js';
import { PROFILES } from './loadProfiles.js';
import { admin, nationalVersions, upload } from './nationalTables.js';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: 'dist/src/server.js' },
    seconds: { type: 'string', default: '30' },
    rate: { type: 'string', default: '200' },
    every: { type: 'string', default: '3000' },
    // More versions than an instance keeps compiled (2) make every activation a compile.
    versions: { type: 'string', default: '3' },
  },
});
const TOKEN = 'bench-admin-token-0123456789';
const paths = Object.values(PROFILES).flat();

function get(agent: Agent, port: number, path: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, agent, path, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - started : -1));
    });
    req.on('error', () => resolve(-1));
    req.end();
  });
}

/** Latency of requests at `rate` per second to every instance for `ms`, while `during` runs. */
async function measure(services: ServiceProcess[], ms: number, during: () => Promise<void>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const rate = Number(values.rate);
  const latencies: number[][] = services.map(() => []);
  let errors = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  const work = during();
  for (let i = 0; performance.now() - started < ms; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const k = i % services.length;
    inFlight.push(
      get(agent, services[k]!.port, paths[i % paths.length]!).then((t) => {
        if (t < 0) errors++;
        else latencies[k]!.push(t);
      }),
    );
  }
  await Promise.all([...inFlight, work]);
  agent.destroy();
  const pct = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? NaN;
  return services.map((s, k) => ({
    instance: s.name,
    requests: latencies[k]!.length,
    p50: pct(latencies[k]!, 0.5),
    p99: pct(latencies[k]!, 0.99),
    max: Math.max(...latencies[k]!),
    errors,
  }));
}

const redis = await startRedis();
const env = { REDIS_URL: redis.url, TABLES_RECHECK_MS: '1000', LOG_LEVEL: 'warn', RATE_LIMIT_ENABLED: 'false' };
const services = [
  await startServiceProcess('A (uploads)', [values.server], { ...env, ADMIN_TOKEN: `bench:${TOKEN}` }),
  await startServiceProcess('B (follows)', [values.server], env),
];
try {
  const csvs = await nationalVersions(Number(values.versions));
  const ms = Number(values.seconds) * 1000;
  const print = (label: string, rows: Awaited<ReturnType<typeof measure>>) => {
    for (const r of rows) {
      const f = (x: number) => x.toFixed(1).padStart(7);
      const times = `p50 ${f(r.p50)} ms  p99 ${f(r.p99)} ms  max ${f(r.max)} ms`;
      console.log(
        `${label.padEnd(22)} ${r.instance.padEnd(12)} n=${String(r.requests).padStart(6)} ${times}  errors ${r.errors}`,
      );
    }
  };
  await measure(services, 3000, async () => {}); // warm-up
  const versions: string[] = [];
  print(
    'uploads (no activation)',
    await measure(services, 8000, async () => {
      for (const csv of csvs) {
        const up = await upload(services[0]!.port, TOKEN, csv, false);
        versions.push(up.version);
        console.log(`  stored ${up.version}: ${up.centers} centers, compile ${up.compileMs} ms`);
      }
    }),
  );
  print('baseline', await measure(services, ms, async () => {}));
  let activations = 0;
  print(
    'activations',
    await measure(services, ms, async () => {
      const until = performance.now() + ms - Number(values.every);
      while (performance.now() < until) {
        const version = versions[activations % versions.length]!;
        const res = await admin(services[0]!.port, TOKEN, 'POST', `/datasets/${version}/activate`);
        if (res.status !== 200) throw new Error(`activation failed: ${res.status}`);
        activations++;
        await new Promise((r) => setTimeout(r, Number(values.every)));
      }
    }),
  );
  const tablesUsed = `${versions.length} 1,100-center tables in turn`;
  console.log(`${activations} activations of ${tablesUsed}, one every ${values.every} ms, ${values.rate} req/s`);
} finally {
  await Promise.all(services.map((s) => s.stop()));
  await redis.stop();
}
