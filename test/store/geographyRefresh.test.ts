import t from 'tap';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, servingVersion, removeCenter, sampleCsv, startInstance, type Instance } from '../helpers/service.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());

const SOURCES = 'data/sources/nanpa';
const CO_FILE = 'CoCodeAssignment_Utilized_AllStates_Public.txt';
const SWITCH_DEADLINE_MS = 15_000;

/** NANPA's central office code file as shipped, with `edit` applied to its text, zipped again. */
function editedCoCodes(edit: (text: string) => string): Uint8Array {
  const text = strFromU8(unzipSync(readFileSync(`${SOURCES}/CoCodeAssignment_Utilized_AllStates_Public.zip`))[CO_FILE]!, true);
  return zipSync({ [CO_FILE]: strToU8(edit(text), true) });
}
const shippedAreaCodes = () => readFileSync(`${SOURCES}/npa_report.csv`, 'utf8');

/** The shipped file with 916-445 moved from Sacramento (SCRM MAIN) to Folsom. */
const folsom445 = () => editedCoCodes((text) => text.replace(/(\t916-445\t9740\t"PACIFIC BELL"\s*\t)SCRM MAIN /, '$1FOLSOM    '));

/** The multipart body NANPA's two files arrive in, as curl -F would send it. */
function nanpaUpload(coCodes: Uint8Array, npaReport: string) {
  const boundary = '----crisis-route-test';
  const part = (name: string, filename: string, body: Buffer) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n`), body, Buffer.from('\r\n')]);
  const payload = Buffer.concat([
    part('coCodes', 'CoCodeAssignment_Utilized_AllStates_Public.zip', Buffer.from(coCodes)),
    part('npaReport', 'npa_report.csv', Buffer.from(npaReport)),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { payload, headers: { ...auth(), 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

type Place = { state: string; name: string; precision: string };
const placeOf = async (instance: Instance, phone: string) =>
  (await instance.inject(`/v1/route?phone=${encodeURIComponent(phone)}`)).json<{ place: Place | null }>().place;

t.test('a newer NANPA download goes through dry run, activation and rollback on two instances, no restart', async (t) => {
  const namespace = testNamespace();
  const a = await startInstance(redisServer.url, { namespace });
  const b = await startInstance(redisServer.url, { namespace });
  t.teardown(() => Promise.all([a.close(), b.close()]));
  const seeded = a.tables.table!.version;

  // One exchange moves from Sacramento to Folsom; one is newly assigned in Folsom (279, the 916 overlay).
  let added = '';
  const coCodes = editedCoCodes((text) => {
    for (let nxx = 200; !added; nxx++) if (!text.includes(`\t279-${nxx}\t`)) added = `279${nxx}`;
    const moved = text.replace(/(\t916-445\t9740\t"PACIFIC BELL"\s*\t)SCRM MAIN /, '$1FOLSOM    ');
    const folsom = moved.split('\n').find((line) => line.includes('\t916-351\t'))!;
    return `${moved}${folsom.replace('916-351', `279-${added.slice(3)}`)}\n`;
  });
  t.same(await placeOf(b, '+19164452841'), { state: 'CA', name: 'Sacramento', precision: 'exchange' });
  t.same(await placeOf(b, `+1${added}1234`), { state: 'CA', name: 'California', precision: 'areaCode' }, 'not assigned yet');

  const dryRun = await a.inject({ method: 'POST', url: '/v1/admin/geography?dryRun=true', ...nanpaUpload(coCodes, shippedAreaCodes()) });
  t.equal(dryRun.statusCode, 200, dryRun.body);
  const report = dryRun.json();
  t.same(report.geographyDiff.exchanges, { added: 1, removed: 0, moved: 1 });
  t.same(report.geographyDiff.examples.moved, ['916-445 SCRM MAIN, CA -> FOLSOM, CA']);
  t.same(report.geographyDiff.examples.added, [`279-${added.slice(3)} FOLSOM, CA`]);
  t.same([report.geographyDiff.changedState, report.geographyDiff.areaCodes], [0, { added: [], removed: [] }]);
  t.match(report, { dryRun: true, created: false, activated: false, against: seeded, geography: { coCodes: '07/06/2026', origin: 'upload' } });
  t.equal(report.diff.centers.added.length + report.diff.centers.removed.length, 0, 'the same centers, over a new geography');
  t.equal(a.tables.table!.version, seeded, 'a dry run changes nothing');

  const upload = await a.inject({ method: 'POST', url: '/v1/admin/geography?activate=true', ...nanpaUpload(coCodes, shippedAreaCodes()) });
  t.equal(upload.statusCode, 201, upload.body);
  const { version } = upload.json();
  t.match(upload.json(), { created: true, activated: true, previous: seeded, version: report.version });
  await Promise.all([servingVersion(a.tables, version, SWITCH_DEADLINE_MS), servingVersion(b.tables, version, SWITCH_DEADLINE_MS)]);
  for (const instance of [a, b]) {
    t.same(await placeOf(instance, '+19164452841'), { state: 'CA', name: 'Folsom', precision: 'exchange' }, 'moved');
    t.same(await placeOf(instance, `+1${added}1234`), { state: 'CA', name: 'Folsom', precision: 'exchange' }, 'added');
  }
  const listed = (await a.inject({ url: '/v1/admin/datasets', headers: auth() })).json().versions;
  t.equal(listed.find((v: { version: string }) => v.version === version).geography, report.geography.id, 'the version names its geography');

  // A table uploaded after the refresh compiles over the refreshed geography.
  const upload2 = await a.inject({ method: 'POST', url: '/v1/admin/datasets?activate=true&name=no-ak', headers: { ...auth(), 'content-type': 'text/csv' }, payload: removeCenter(sampleCsv(), 'ak-anchorage') });
  t.equal(upload2.statusCode, 201, upload2.body);
  await servingVersion(b.tables, upload2.json().version, SWITCH_DEADLINE_MS);
  t.same(await placeOf(b, '+19164452841'), { state: 'CA', name: 'Folsom', precision: 'exchange' }, 'the geography outlives a table upload');

  const rollback = await a.inject({ method: 'POST', url: `/v1/admin/datasets/${seeded}/activate`, headers: auth() });
  t.equal(rollback.statusCode, 200);
  await Promise.all([servingVersion(a.tables, seeded, SWITCH_DEADLINE_MS), servingVersion(b.tables, seeded, SWITCH_DEADLINE_MS)]);
  for (const instance of [a, b]) {
    t.same(await placeOf(instance, '+19164452841'), { state: 'CA', name: 'Sacramento', precision: 'exchange' }, 'rolled back');
  }
});

t.test('a geography that fails its checks is refused with the reasons, and nothing changes', async (t) => {
  const namespace = testNamespace();
  const a = await startInstance(redisServer.url, { namespace });
  t.teardown(() => a.close());
  const before = a.tables.table!.version;
  // An area code report that lost New York's 212 and Puerto Rico's codes.
  const npa = shippedAreaCodes().replace(/^(212|787|939),General Purpose Code,Yes,[^\n]*\n/gm, '');
  const refused = await a.inject({ method: 'POST', url: '/v1/admin/geography?activate=true', ...nanpaUpload(editedCoCodes((x) => x), npa) });
  t.equal(refused.statusCode, 422);
  const messages = refused.json().error.details.map((d: { message: string }) => d.message);
  t.ok(messages.includes('area code 212 must be New York'), messages.join('; '));
  t.ok(messages.includes('area codes 787 and 939 must be Puerto Rico'));
  t.ok(messages.includes('PR must have an area code in service'));

  const notZip = await a.inject({ method: 'POST', url: '/v1/admin/geography', ...nanpaUpload(Buffer.from('not a zip'), shippedAreaCodes()) });
  t.equal(notZip.statusCode, 422);
  t.match(notZip.json().error.details[0].message, /not a zip archive/);
  const oneFile = await a.inject({ method: 'POST', url: '/v1/admin/geography', payload: 'x', headers: { ...auth(), 'content-type': 'text/csv' } });
  t.equal(oneFile.statusCode, 415);
  t.match(oneFile.json().error.message, /coCodes=@CoCodeAssignment_Utilized_AllStates_Public.zip and npaReport=@npa_report.csv/);
  t.equal(a.tables.table!.version, before);
  t.equal((await a.inject({ url: '/v1/admin/datasets', headers: auth() })).json().versions.length, 1, 'nothing stored');
});

t.test('a restart while Redis is down serves the snapshot over the geography it named', { skip: redisServer.managed ? false : 'REDIS_URL is set' }, async (t) => {
  const own = await startRedis({ persistent: true });
  t.teardown(() => own.stop());
  const snapshotDir = await mkdtemp(join(tmpdir(), 'crisis-route-snapshot-'));
  t.teardown(() => rm(snapshotDir, { recursive: true, force: true }));
  const namespace = testNamespace();
  const env = { SNAPSHOT_DIR: snapshotDir };
  const first = await startInstance(own.url, { namespace, env });
  const upload = await first.inject({ method: 'POST', url: '/v1/admin/geography?activate=true', ...nanpaUpload(folsom445(), shippedAreaCodes()) });
  t.equal(upload.statusCode, 201, upload.body);
  await servingVersion(first.tables, upload.json().version, SWITCH_DEADLINE_MS);
  await first.close();
  await own.kill();

  const offline = await startInstance(own.url, { namespace, env, connectTimeoutMs: 300 });
  t.teardown(() => offline.close());
  t.match((await offline.inject('/readyz')).json(), { source: 'snapshot', datasetVersion: upload.json().version });
  t.same(await placeOf(offline, '+19164452841'), { state: 'CA', name: 'Folsom', precision: 'exchange' }, 'the refreshed geography');
});
