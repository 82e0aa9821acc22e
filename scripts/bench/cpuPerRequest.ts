/**
 * Server CPU time per request, from /proc: a measure that holds on a busy machine, where req/s
 * does not. Used to find what a request costs while profiling (npm run bench:cpu).
 *   tsx scripts/bench/cpuPerRequest.ts [path] [N]; env as for the service (e.g. LOG_LEVEL=warn).
 */
import autocannon from 'autocannon';
import { cpuMs, startProcess } from './processes.js';

const path = process.argv[2] ?? '/v1/route?phone=%2B12122267834';
const amount = Number(process.argv[3] ?? 20000);
const bare = process.env.BENCH_BARE === '1';
const env = {
  NODE_ENV: 'production',
  ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true',
  HOST: '127.0.0.1',
  RATE_LIMIT_TELEPHONY_PER_IP: '1000000000',
  RATE_LIMIT_PUBLIC_PER_IP: '1000000000',
};
const server = bare
  ? await startProcess(
      'node',
      ['--import', 'tsx', 'scripts/bench/bareServer.ts'],
      { BENCH_BODY: 'x'.repeat(Number(process.env.BENCH_BODY_BYTES ?? 2000)) },
      (p) => `http://127.0.0.1:${p}/`,
    )
  : await startProcess('node', ['dist/src/server.js'], env, (p) => `http://127.0.0.1:${p}/readyz`);
const run = (n: number) => autocannon({ url: `http://127.0.0.1:${server.port}${path}`, connections: 20, amount: n });
await run(5000);
const before = cpuMs(server.child.pid!);
const result = await run(amount);
const used = cpuMs(server.child.pid!) - before;
const perRequest = `${((used * 1000) / amount).toFixed(1)} µs CPU per request`;
const rate = `${result.requests.average.toFixed(0)} req/s, ${result.non2xx} non-2xx`;
console.log(`${bare ? 'bare' : 'service'} ${path}: ${perRequest} (${rate})`);
await server.stop();
