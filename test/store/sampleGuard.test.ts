import t from 'tap';
import { CurrentTable } from '../../src/tables/currentTable.js';
import { SampleDataRefused, sampleGuard, sampleRefusal } from '../../src/tables/sampleGuard.js';
import { shippedTable } from '../helpers/app.js';

t.test('a sample dataset serves anywhere but production, and there only when explicitly allowed', async (t) => {
  const sample = { sample: true, version: 'sample-abc' };
  t.equal(sampleRefusal(sample, { nodeEnv: 'development', allowSampleInProduction: false }), null);
  t.equal(sampleRefusal(sample, { nodeEnv: 'test', allowSampleInProduction: false }), null);
  t.equal(sampleRefusal(sample, { nodeEnv: 'production', allowSampleInProduction: true }), null);
  t.equal(
    sampleRefusal({ sample: false, version: 'real-1' }, { nodeEnv: 'production', allowSampleInProduction: false }),
    null,
  );
  t.match(
    sampleRefusal(sample, { nodeEnv: 'production', allowSampleInProduction: false }),
    /^refusing to serve dataset sample-abc: it is marked sample/,
  );
});

t.test(
  'in production CurrentTable refuses a sample table on every swap and keeps serving the one it has',
  async (t) => {
    const table = await shippedTable();
    t.equal(table.sample, true, 'the shipped data is sample data');
    const guarded = new CurrentTable(sampleGuard({ nodeEnv: 'production', allowSampleInProduction: false }));
    t.throws(() => guarded.swap(table, 'embedded'), SampleDataRefused);
    t.equal(guarded.table, null, 'nothing is served');
    const real = { ...table, sample: false, version: 'real-1' };
    guarded.swap(real, 'redis');
    t.throws(() => guarded.swap(table, 'redis'), /sample/, 'a reload to sample data is refused');
    t.equal(guarded.table?.version, 'real-1', 'the real table stays in service');
  },
);
