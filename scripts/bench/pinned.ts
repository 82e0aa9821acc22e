/**
 * CPU per request of the route API in two builds against bare Fastify, on issue 19's method: each
 * server pinned to core 0, wrk pinned to core 1, rounds alternating between the servers.
 *   npm run bench:pinned -- --before <built checkout> --after <built checkout> [--seconds 10] [--rounds 3]
 * Each checkout needs `npm ci && npm run build`; the servers run on the Node that runs this script.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES } from './loadProfiles.js';
import { answers, medianBody, SERVICE_ENV, startBare, startPinned, type Server } from './pinnedServers.js';
import { pathScript, wrkRound } from './wrkRound.js';
import { alternate, summarize } from './alternating.js';

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
  const bare = await startBare(medianBody(bodies[1]!));
  const servers = [bare, ...services];
  const script = pathScript(paths);
  for (const s of servers) await wrkRound(s.pid, s.port, script, Number(options.warmup));
  const results = await alternate(servers, script, Number(options.seconds), Number(options.rounds), mix);
  for (const [s, rounds] of results)
    rounds.forEach((r, i) => r.socketErrors && errors.push(`${mix} round ${i + 1} ${s.name}: ${r.socketErrors}`));
  for (const s of servers) s.stop();
  loads.push(`${mix} ${load} → ${loadavg()[0]!.toFixed(1)}`);
  for (const s of servers) {
    const r = summarize(results.get(s)!, results.get(bare)!);
    const cells = [r.rps.toFixed(0), r.cpuUs.toFixed(1), r.cpuX.toFixed(2), r.p50.toFixed(2), r.p99.toFixed(2)];
    rows.push(`| ${s.name} | ${mix} | ${cells.join(' | ')} |`);
  }
}

console.log('| Server | Mix | req/s (best) | CPU µs/request (median) | CPU × bare | p50 ms | p99 ms |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
console.log(rows.join('\n'));
console.log(`\nNode ${process.versions.node}; load average (1 min) before → after each mix: ${loads.join(', ')}`);
if (errors.length > 0) console.log(`Socket errors: ${errors.join('; ')}`);
