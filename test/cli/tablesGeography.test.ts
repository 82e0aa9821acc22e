import t from 'tap';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { ADMIN_TOKEN, startInstance } from '../helpers/service.js';
import { tablesCli } from '../helpers/tablesCli.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());

const tables = (...args: string[]) => tablesCli({}, ...args);

t.test("geography: NANPA's two files as downloaded, dry run through the service's admin API", async (t) => {
  const namespace = testNamespace();
  const service = await startInstance(redisServer.url, { namespace });
  t.teardown(() => service.close());
  await service.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = service.app.server.address() as { port: number };
  const zip = 'data/sources/nanpa/CoCodeAssignment_Utilized_AllStates_Public.zip';
  const csv = 'data/sources/nanpa/npa_report.csv';
  // The Redis target runs the same TablesAdmin.uploadGeography the API tests drive.
  const dry = await tables(
    'geography',
    zip,
    csv,
    '--dry-run',
    '--url',
    `http://127.0.0.1:${port}`,
    '--token',
    ADMIN_TOKEN,
  );
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, /version\s+\S+\s+\(dry run: nothing stored; the table of \S+ over the new geography\)/);
  t.match(dry.stdout, /geography\s+nanpa-[0-9a-f]{12}\s+NANPA 07\/06\/2026 \/ area codes 08\/17\/2026/);
  t.match(
    dry.stdout,
    /exchanges\s+0 added, 0 removed, 0 moved \(0 to another state\)/,
    'the shipped files change nothing',
  );
  const missing = await tables('geography', zip, '--dry-run', '--redis', redisServer.url, '--namespace', namespace);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /geography needs NANPA's central office code zip and npa_report.csv/);
});
