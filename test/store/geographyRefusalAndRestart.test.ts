import t from 'tap';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth, servingVersion, startInstance } from '../helpers/service.js';
import {
  SWITCH_DEADLINE_MS,
  folsom445,
  nanpaUpload,
  placeOf,
  shippedAreaCodes,
  shippedCoCodes,
} from '../helpers/nanpa.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
// More than tap's per-file timeout (that one is for hangs): three instances start, one builds a national geography.
t.setTimeout(240_000);

t.test('a geography that fails its checks is refused with the reasons, and nothing changes', async (t) => {
  const namespace = testNamespace();
  const a = await startInstance(redisServer.url, { namespace });
  t.teardown(() => a.close());
  const before = a.tables.table!.version;
  // An area code report that lost New York's 212 and Puerto Rico's codes.
  const npa = shippedAreaCodes().replace(/^(212|787|939),General Purpose Code,Yes,[^\n]*\n/gm, '');
  const refused = await a.inject({
    method: 'POST',
    url: '/v1/admin/geography?activate=true',
    ...nanpaUpload(shippedCoCodes(), npa),
  });
  t.equal(refused.statusCode, 422);
  const messages = refused.json().error.details.map((d: { message: string }) => d.message);
  t.ok(messages.includes('area code 212 must be New York'), messages.join('; '));
  t.ok(messages.includes('area codes 787 and 939 must be Puerto Rico'));
  t.ok(messages.includes('PR must have an area code in service'));

  const notZip = await a.inject({
    method: 'POST',
    url: '/v1/admin/geography',
    ...nanpaUpload(Buffer.from('not a zip'), shippedAreaCodes()),
  });
  t.equal(notZip.statusCode, 422);
  t.match(notZip.json().error.details[0].message, /not a zip archive/);
  const oneFile = await a.inject({
    method: 'POST',
    url: '/v1/admin/geography',
    payload: 'x',
    headers: { ...auth(), 'content-type': 'text/csv' },
  });
  t.equal(oneFile.statusCode, 415);
  t.match(
    oneFile.json().error.message,
    /coCodes=@CoCodeAssignment_Utilized_AllStates_Public.zip and npaReport=@npa_report.csv/,
  );
  t.equal(a.tables.table!.version, before);
  t.equal((await a.inject({ url: '/v1/admin/datasets', headers: auth() })).json().versions.length, 1, 'nothing stored');
});

t.test(
  'a restart while Redis is down serves the snapshot over the geography it named',
  { skip: redisServer.managed ? false : 'REDIS_URL is set' },
  async (t) => {
    const own = await startRedis({ persistent: true });
    t.teardown(() => own.stop());
    const snapshotDir = await mkdtemp(join(tmpdir(), 'crisis-route-snapshot-'));
    t.teardown(() => rm(snapshotDir, { recursive: true, force: true }));
    const namespace = testNamespace();
    const env = { SNAPSHOT_DIR: snapshotDir };
    const first = await startInstance(own.url, { namespace, env });
    const upload = await first.inject({
      method: 'POST',
      url: '/v1/admin/geography?activate=true',
      ...nanpaUpload(folsom445(), shippedAreaCodes()),
    });
    t.equal(upload.statusCode, 201, upload.body);
    await servingVersion(first.tables, upload.json().version, SWITCH_DEADLINE_MS);
    await first.close();
    await own.kill();

    const offline = await startInstance(own.url, { namespace, env, connectTimeoutMs: 300 });
    t.teardown(() => offline.close());
    t.match((await offline.inject('/readyz')).json(), { source: 'snapshot', datasetVersion: upload.json().version });
    t.same(
      await placeOf(offline, '+19164452841'),
      { state: 'CA', name: 'Folsom', precision: 'exchange' },
      'the refreshed geography',
    );
  },
);
