import t from 'tap';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis } from '../helpers/redisServer.js';
import { ADMIN_TOKEN, editCenter, eventually, removeCenter, sampleCsv, withEveryColumn } from '../helpers/service.js';
import { tablesCli } from '../helpers/tablesCli.js';

// Each CLI run starts a Node process with tsx: on a loaded 2-core machine the file needs more than tap's 120 s.
t.setTimeout(300_000);

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const dir = await mkdtemp(join(tmpdir(), 'crisis-route-cli-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

const tables = (...args: string[]) => tablesCli({}, ...args);
const tablesWith = tablesCli;

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const base = `http://127.0.0.1:${port}`;
// The service as it runs in production: its own process, listening, REDIS_URL and ADMIN_TOKEN from the environment.
const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
  env: {
    ...process.env,
    NODE_OPTIONS: '', // tap's process tracking, for coverage, which is off
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: redisServer.url,
    ADMIN_TOKEN: `ops:${ADMIN_TOKEN}`,
    TABLES_RECHECK_MS: '1000',
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
t.teardown(() => void server.kill('SIGTERM'));
await new Promise<void>((resolve, reject) => {
  let out = '';
  server.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('Server listening')) resolve();
  });
  server.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
});
const firstAt = async (zip: string) =>
  ((await (await fetch(`${base}/v1/route?zip=${zip}`)).json()) as { destinations: Array<{ id: string }> })
    .destinations[0]!.id;
const served = async () =>
  ((await (await fetch(`${base}/readyz`)).json()) as { datasetVersion: string }).datasetVersion;

t.test('validate reports every problem with its row and exits 1', async (t) => {
  const bad = join(dir, 'bad.csv');
  await writeFile(bad, editCenter(editCenter(sampleCsv(), 'ny-albany', { phone: '12' }), 'nj-newark', { lat: '-91' }));
  const result = await tables('validate', bad);
  t.equal(result.code, 1);
  t.match(
    result.stderr,
    new RegExp(
      /✗ 2 problems:\n\s+row 118\s+lat\s+lat must be between -90 and 90\n/.source +
        /\s+row 124\s+phone\s+phone "12" is not a North American number/.source,
    ),
  );
});

t.test(
  'export, edit, load --activate: the running service routes by it; activate the old one rolls back',
  async (t) => {
    const seeded = await served();
    t.equal(await firstAt('10001'), 'ny-new-york');
    const exported = join(dir, 'export.csv');
    const exportRun = await tables('export', seeded, exported, '--url', base, '--token', ADMIN_TOKEN);
    t.equal(exportRun.code, 0, exportRun.stderr);
    t.equal(await readFile(exported, 'utf8'), withEveryColumn(sampleCsv()));

    const edited = join(dir, 'edited.csv');
    await writeFile(edited, removeCenter(await readFile(exported, 'utf8'), 'ny-new-york'));
    const diff = await tables('diff', edited, '--redis', redisServer.url);
    t.equal(diff.code, 0, diff.stderr);
    t.match(
      diff.stdout,
      new RegExp(
        /dry run: nothing stored[\s\S]*0 added, 1 removed, 0 changed\n/.source +
          /\s+removed: ny-new-york\n\s+a different first center for \d+ zips/.source,
      ),
    );

    const load = await tables('load', edited, '--activate', '--name', 'no-nyc', '--redis', redisServer.url);
    t.equal(load.code, 0, load.stderr);
    const version = /version\s+(no-nyc-[0-9a-f]{12})/.exec(load.stdout)![1]!;
    t.match(load.stdout, new RegExp(`active\\s+${version}\\s+\\(was ${seeded}\\)`));
    t.match(load.stderr, /validating, compiling and uploading/, 'progress on stderr');
    // A deadline for a hung follower, not a latency check: the compile runs in a worker thread.
    await eventually(async () => (await served()) === version, 15_000);
    t.not(await firstAt('10001'), 'ny-new-york', 'the service routes by the new table');

    const list = await tables('list', '--url', base, '--token', ADMIN_TOKEN);
    t.match(list.stdout, new RegExp(`^\\* ${version}.*cli:.*\\n  ${seeded}.*seed`));

    const rollback = await tables('activate', seeded, '--url', base, '--token', ADMIN_TOKEN);
    t.equal(rollback.code, 0, rollback.stderr);
    await eventually(async () => (await served()) === seeded, 15_000);
    t.equal(await firstAt('10001'), 'ny-new-york', 'old routes restored');

    const denied = await tables('list', '--url', base, '--token', 'wrong-token-wrong-token');
    t.equal(denied.code, 1);
    t.match(denied.stderr, /401 unauthorized/);
  },
);

t.test('the admin token can come from a file or TABLES_TOKEN, so it is not in the process list', async (t) => {
  const tokenFile = join(dir, 'token');
  await writeFile(tokenFile, `${ADMIN_TOKEN}\n`, { mode: 0o600 });
  const fromFile = await tables('list', '--url', base, '--token-file', tokenFile);
  t.equal(fromFile.code, 0, fromFile.stderr);
  t.match(fromFile.stdout, /^\* /m, 'the versions are listed, the active one starred');

  const fromEnv = await tablesWith({ TABLES_TOKEN: ADMIN_TOKEN }, 'list', '--url', base);
  t.equal(fromEnv.code, 0, fromEnv.stderr);
  t.equal(fromEnv.stdout, fromFile.stdout);

  await writeFile(tokenFile, '\n');
  const empty = await tables('list', '--url', base, '--token-file', tokenFile);
  t.equal(empty.code, 2);
  t.match(empty.stderr, `--token-file ${tokenFile} is empty`);

  const none = await tables('list', '--url', base);
  t.equal(none.code, 2);
  t.match(none.stderr, /--url needs the admin token: --token-file <path> or TABLES_TOKEN/);
});

t.test('a spreadsheet-saved file is read from its bytes: validate and diff say how it was read', async (t) => {
  const mayaguez = sampleCsv().replace('Sample Center San Juan (fictional)', 'Sample Center Mayagüez (fictional)');
  const cp1252 = join(dir, 'windows-1252.csv');
  await writeFile(cp1252, Buffer.from(mayaguez, 'latin1'));
  const validate = await tables('validate', cp1252);
  t.equal(validate.code, 0, validate.stderr);
  t.match(
    validate.stdout,
    /\n {2}note: read as Windows-1252 and converted to UTF-8; line 158 now reads "Sample Center Mayagüez/,
  );

  const utf16 = join(dir, 'utf-16.csv');
  await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(mayaguez, 'utf16le')]));
  const diff = await tables('diff', utf16, '--url', base, '--token', ADMIN_TOKEN);
  t.equal(diff.code, 0, diff.stderr);
  t.match(diff.stdout, /\nnote {5}read as UTF-16 LE and converted to UTF-8\n/);
  t.match(diff.stdout, /changed: pr-san-juan \(name\)/, 'the name arrives as "Mayagüez", the only change');

  const pasted = join(dir, 'pasted.csv');
  await writeFile(pasted, mayaguez.trim().split('\n').join(','));
  const refused = await tables('validate', pasted);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /✗ 1 problem:\n\s+row 1\s+the file has no line breaks/);
});
