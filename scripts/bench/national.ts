/** npm run bench's national-scale figures beyond the table: a reload under load, lookups, memory. */
import { execFileSync } from 'node:child_process';
import { liveHeapMb } from '../soak/instances.js';
import { errorCount, paced } from './alternating.js';
import { admin } from './nationalTables.js';
import type { Server } from './pinnedServers.js';
import { rssMb } from './processes.js';
import type { National } from './report.js';
import { wrkRound } from './wrkRound.js';

/** Time between activations while the load runs: each compiles a table in the worker, then swaps it in. */
const EVERY_MS = 2000;

/**
 * Load at `rate` for `seconds` without activations (the baseline), then again while other versions
 * are activated in turn: more versions than the service keeps compiled, so each activation compiles.
 */
export async function reloadUnderLoad(
  service: Server,
  token: string,
  versions: string[],
  paths: string[],
  rate: number,
  seconds: number,
): Promise<National['reload']> {
  const { script, options } = paced(paths, rate);
  const baseline = await wrkRound(service.pid, service.port, script, seconds, { ...options, strict: false });
  let activations = 0;
  let stop = false;
  const activating = (async () => {
    while (!stop) {
      const version = versions[activations % versions.length]!;
      const res = await admin(service.port, token, 'POST', `/datasets/${version}/activate`);
      if (res.status !== 200) throw new Error(`activating ${version} answered ${res.status}`);
      activations++;
      await new Promise((r) => setTimeout(r, EVERY_MS));
    }
  })();
  const during = await wrkRound(service.pid, service.port, script, seconds, { ...options, strict: false });
  stop = true;
  await activating;
  const [p99, baselineP99] = [during.p99Ms, baseline.p99Ms];
  return { activations, errors: errorCount(during), p99, baselineP99, rate: during.rps, seconds };
}

/** bench-core on `dataDir`, pinned to core 0 like the servers: compile in one process and µs per lookup. */
export function coreFigures(dataDir: string): Pick<National, 'coreCompileMs' | 'lookupsUs'> {
  const tsx = ['--import', 'tsx', 'scripts/bench-core.ts', dataDir];
  const out = execFileSync('taskset', ['-c', '0', process.execPath, ...tsx], { encoding: 'utf8' });
  const lookupsUs = [...out.matchAll(/^lookup (.+?)\s+([\d.]+) µs/gm)].map((m): [string, number] => [m[1]!, +m[2]!]);
  return { coreCompileMs: Number(/compile full tables: median (\d+) ms/.exec(out)?.[1] ?? NaN), lookupsUs };
}

export async function memory(servers: Server[]): Promise<National['memory']> {
  return Promise.all(
    servers.map(async (s) => ({ server: s.name, rssMb: rssMb(s.pid), liveHeapMb: await liveHeapMb(s.port) })),
  );
}
