import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { removeCenter, sampleCsv, startInstance } from '../helpers/service.js';
import { tablesCli } from '../helpers/tablesCli.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());

t.test('on Redis directly, the CLI refuses to activate sample data in production, as the API does', async (t) => {
  const namespace = testNamespace();
  const service = await startInstance(redisServer.url, { namespace });
  t.teardown(() => service.close());
  const seeded = service.tables.table!.version; // the shipped sample table
  const target = ['--redis', redisServer.url, '--namespace', namespace];
  // Another sample version to move to, stored in development, then activated in production.
  const file = join(t.testdir(), 'no-nyc.csv');
  await writeFile(file, removeCenter(sampleCsv(), 'ny-new-york'));
  const stored = await tablesCli({ NODE_ENV: 'development' }, 'load', file, '--name', 'no-nyc', '--sample', ...target);
  t.equal(stored.code, 0, stored.stderr);
  const version = /version\s+(no-nyc-[0-9a-f]{12})/.exec(stored.stdout)![1]!;

  const refused = await tablesCli({ NODE_ENV: 'production' }, 'activate', version, ...target);
  t.equal(refused.code, 1);
  t.match(refused.stderr, /marked sample .*the active version is unchanged \(409 refused\)/);
  t.equal(service.tables.table!.version, seeded, 'nothing moved');
  const allowed = await tablesCli(
    { NODE_ENV: 'production', ALLOW_SAMPLE_DATA_IN_PRODUCTION: 'true' },
    'activate',
    version,
    ...target,
  );
  t.equal(allowed.code, 0, allowed.stderr);
});
