/**
 * Resident memory of the service through the phases of `npm run bench`: RSS at the end of each
 * phase and the peak during it (sampled every 100 ms), the service started as shipped.
 *   npm run build && tsx scripts/bench/memoryPhases.ts
 * Env: MEMORY_MODE=embedded (default redis); EXTRA_VERSIONS=n uploads and activates n more versions
 * under load; MEMORY_PROBE=1 adds the heap breakdown before and after a forced full GC, and logs every
 * full GC (that run is not the service as shipped: --expose-gc and a probe are loaded into it).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { PROFILES } from './loadProfiles.js';
import { rssMb, startProcess, startRedisServer } from './processes.js';

const ADMIN_TOKEN = 'bench-admin-token';
const withRedis = process.env.MEMORY_MODE !== 'embedded';
const probe = process.env.MEMORY_PROBE === '1';
const extraVersions = Number(process.env.EXTRA_VERSIONS ?? 0);
const probeOut = join(tmpdir(), `crisis-route-memory-${process.pid}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function load(port: number, paths: string[], seconds = 5) {
  let i = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 50,
    duration: seconds,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
}

// As scripts/bench.ts serviceEnv.
const env: Record<string, string> = {
  NODE_ENV: 'production',
  ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true',
  HOST: '127.0.0.1',
  RATE_LIMIT_TELEPHONY_PER_IP: '1000000000',
  RATE_LIMIT_PUBLIC_PER_IP: '1000000000',
  RATE_LIMIT_ADMIN_PER_IP: '1000000000',
  ADMIN_TOKEN,
};
if (probe)
  Object.assign(env, {
    NODE_OPTIONS: `--require ${join(import.meta.dirname, 'memoryProbe.cjs')} --expose-gc`,
    MEMORY_PROBE_OUT: probeOut,
  });
const redis = withRedis ? await startRedisServer() : undefined;
if (redis) env.REDIS_URL = `redis://127.0.0.1:${redis.port}`;
const service = await startProcess('node', ['dist/src/server.js'], env, (p) => `http://127.0.0.1:${p}/readyz`);
const pid = service.child.pid!;

let peak = 0;
let stopping = false;
const sampler = setInterval(() => {
  try {
    peak = Math.max(peak, rssMb(pid));
  } catch {
    // gone: reported below
  }
}, 100);
service.child.once('exit', (code, signal) => {
  if (!stopping) console.error(`the service exited during the run (${signal ?? code})`);
});
let probes = 0;
async function report(phase: string): Promise<void> {
  console.log(
    `${phase.padEnd(24)} rss ${rssMb(pid).toFixed(0).padStart(4)} MB, peak during ${peak.toFixed(0).padStart(4)} MB`,
  );
  peak = 0;
  if (!probe) return;
  const file = `${probeOut}.${probes++}`;
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(file); i++) await sleep(50);
  await sleep(50);
  type Snapshot = {
    heapTotal: number;
    heapUsed: number;
    external: number;
    arrayBuffers: number;
    spaces: Record<string, [number, number]>;
  };
  const { before, afterGc } = JSON.parse(readFileSync(file, 'utf8')) as { before: Snapshot; afterGc: Snapshot };
  rmSync(file);
  const line = (s: Snapshot) => {
    const spaces = Object.entries(s.spaces)
      .filter(([, [size]]) => size >= 0.5)
      .map(([name, [size, used]]) => `${name} ${used}/${size}`)
      .join(', ');
    const heap = `heap ${s.heapUsed}/${s.heapTotal}, external ${s.external}, arrayBuffers ${s.arrayBuffers}`;
    return `${heap}; spaces (used/size) ${spaces}`;
  };
  console.log(`    before GC: ${line(before)}\n    after GC:  ${line(afterGc)}`);
}

await report('ready');
await load(service.port, PROFILES['phone E.164']!, 2);
for (const [name, paths] of Object.entries(PROFILES)) {
  await load(service.port, paths);
  await report(name);
}
if (redis) {
  const base = `http://127.0.0.1:${service.port}/v1/admin/datasets`;
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const versions = async () =>
    ((await (await fetch(base, { headers })).json()) as { versions: Array<{ version: string }> }).versions.map(
      (v) => v.version,
    );
  const csv = await (await fetch(`${base}/${(await versions())[0]}/affiliates`, { headers })).text();
  const upload = (name: string, activate: boolean) =>
    fetch(`${base}${activate ? '?activate=true' : ''}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body: csv.replace('Sample Center Albany (fictional)', `Sample Center Albany ${name} (fictional)`),
    });
  if (extraVersions > 0) {
    const uploads = (async () => {
      for (let v = 0; v < extraVersions; v++)
        await upload(`v${v}`, true).then(async (r) =>
          r.ok ? sleep(1000) : console.log(`upload: ${r.status} ${await r.text()}`),
        );
    })();
    await load(service.port, PROFILES['phone E.164']!, extraVersions * 1.5);
    await uploads;
    await report(`${extraVersions} more versions`);
  }
  // As scripts/bench.ts reloadUnderLoad: two versions activated in turn, once a second.
  await upload('renamed', false);
  const both = (await versions()).slice(0, 2);
  let activations = 0;
  let stop = false;
  const flipper = (async () => {
    while (!stop) {
      await fetch(`${base}/${both[activations++ % 2]}/activate`, { method: 'POST', headers });
      await sleep(1000);
    }
  })();
  await load(service.port, PROFILES['phone E.164']!);
  stop = true;
  await flipper;
  await report(`reload (${activations}x)`);
}
await sleep(3000);
await report('idle 3 s');
clearInterval(sampler);
stopping = true;
await service.stop();
await redis?.stop();
