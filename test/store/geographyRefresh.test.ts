import t from 'tap';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { auth, servingVersion, removeCenter, sampleCsv, startInstance } from '../helpers/service.js';
import { SWITCH_DEADLINE_MS, editedCoCodes, nanpaUpload, placeOf, shippedAreaCodes } from '../helpers/nanpa.js';

const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
// More than tap's per-file timeout (that one is for hangs): two instances build, compile and follow three geographies.
t.setTimeout(240_000);

t.test(
  'a newer NANPA download goes through dry run, activation and rollback on two instances, no restart',
  async (t) => {
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
    t.same(
      await placeOf(b, `+1${added}1234`),
      { state: 'CA', name: 'California', precision: 'areaCode' },
      'not assigned yet',
    );

    const dryRun = await a.inject({
      method: 'POST',
      url: '/v1/admin/geography?dryRun=true',
      ...nanpaUpload(coCodes, shippedAreaCodes()),
    });
    t.equal(dryRun.statusCode, 200, dryRun.body);
    const report = dryRun.json();
    t.same(report.geographyDiff.exchanges, { added: 1, removed: 0, moved: 1 });
    t.same(report.geographyDiff.examples.moved, ['916-445 SCRM MAIN, CA -> FOLSOM, CA']);
    t.same(report.geographyDiff.examples.added, [`279-${added.slice(3)} FOLSOM, CA`]);
    t.same([report.geographyDiff.changedState, report.geographyDiff.areaCodes], [0, { added: [], removed: [] }]);
    t.match(report, {
      dryRun: true,
      created: false,
      activated: false,
      against: seeded,
      geography: { coCodes: '07/06/2026', origin: 'upload' },
    });
    t.equal(
      report.diff.centers.added.length + report.diff.centers.removed.length,
      0,
      'the same centers, over a new geography',
    );
    t.equal(a.tables.table!.version, seeded, 'a dry run changes nothing');

    const upload = await a.inject({
      method: 'POST',
      url: '/v1/admin/geography?activate=true',
      ...nanpaUpload(coCodes, shippedAreaCodes()),
    });
    t.equal(upload.statusCode, 201, upload.body);
    const { version } = upload.json();
    t.match(upload.json(), { created: true, activated: true, previous: seeded, version: report.version });
    await Promise.all([
      servingVersion(a.tables, version, SWITCH_DEADLINE_MS),
      servingVersion(b.tables, version, SWITCH_DEADLINE_MS),
    ]);
    for (const instance of [a, b]) {
      t.same(await placeOf(instance, '+19164452841'), { state: 'CA', name: 'Folsom', precision: 'exchange' }, 'moved');
      t.same(
        await placeOf(instance, `+1${added}1234`),
        { state: 'CA', name: 'Folsom', precision: 'exchange' },
        'added',
      );
    }
    const listed = (await a.inject({ url: '/v1/admin/datasets', headers: auth() })).json().versions;
    t.equal(
      listed.find((v: { version: string }) => v.version === version).geography,
      report.geography.id,
      'the version names its geography',
    );

    // A table uploaded after the refresh compiles over the refreshed geography.
    const upload2 = await a.inject({
      method: 'POST',
      url: '/v1/admin/datasets?activate=true&name=no-ak',
      headers: { ...auth(), 'content-type': 'text/csv' },
      payload: removeCenter(sampleCsv(), 'ak-anchorage'),
    });
    t.equal(upload2.statusCode, 201, upload2.body);
    await servingVersion(b.tables, upload2.json().version, SWITCH_DEADLINE_MS);
    t.same(
      await placeOf(b, '+19164452841'),
      { state: 'CA', name: 'Folsom', precision: 'exchange' },
      'the geography outlives a table upload',
    );

    const rollback = await a.inject({ method: 'POST', url: `/v1/admin/datasets/${seeded}/activate`, headers: auth() });
    t.equal(rollback.statusCode, 200);
    await Promise.all([
      servingVersion(a.tables, seeded, SWITCH_DEADLINE_MS),
      servingVersion(b.tables, seeded, SWITCH_DEADLINE_MS),
    ]);
    for (const instance of [a, b]) {
      t.same(
        await placeOf(instance, '+19164452841'),
        { state: 'CA', name: 'Sacramento', precision: 'exchange' },
        'rolled back',
      );
    }
  },
);
