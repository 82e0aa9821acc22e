/**
 * Sends a fixed number of requests from one of npm run bench's load profiles (or one path) to a
 * server that is already running. Used by instructions.sh, which counts what those requests cost.
 *   tsx scripts/bench/drive.ts <port> <profile name | path> <requests>
 */
import autocannon from 'autocannon';
import { PROFILES } from './loadProfiles.js';

const [port, which = 'phone E.164', amount = '5000'] = process.argv.slice(2);
const paths = PROFILES[which] ?? [which];
let i = 0;
const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: 10,
  amount: Number(amount),
  requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
});
if (result.non2xx > 0 || result.errors > 0) {
  console.error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  process.exit(1);
}
