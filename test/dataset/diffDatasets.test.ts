import t from 'tap';
import { diffDatasets } from '../../src/dataset/diffDatasets.js';
import { ALBANY, MANHATTAN, NEWARK, PHILADELPHIA, compileMini, dataset } from '../helpers/miniWorld.js';

const side = (centers: Parameters<typeof compileMini>[0]) => ({
  dataset: dataset(centers),
  table: compileMini(centers),
});

t.test('the same table has no differences', async (t) => {
  const world = [MANHATTAN, ALBANY, NEWARK, PHILADELPHIA];
  t.same(diffDatasets(side(world), side(world)), {
    centers: { added: [], removed: [], changed: [] },
    firstCenterChanged: { zips: 0, zip3s: 0, prefixes: 0 },
  });
});

t.test('closing Manhattan moves New York City callers and only them', async (t) => {
  const diff = diffDatasets(side([MANHATTAN, ALBANY, NEWARK, PHILADELPHIA]), side([ALBANY, NEWARK, PHILADELPHIA]));
  t.same(diff.centers, { added: [], removed: ['ny-manhattan'], changed: [] });
  // 10001, 10002 and Palisades 10964 went to Manhattan first; now Albany (state-first). 212 likewise.
  t.same(diff.firstCenterChanged, { zips: 3, zip3s: 2, prefixes: 1 });
});

t.test('changed fields are named; a new center is listed as added', async (t) => {
  const moved = { ...ALBANY, phone: '+15185550199', hours: 'Mo-Fr 09:00-17:00', languages: ['en', 'es'] };
  const diff = diffDatasets(side([MANHATTAN, ALBANY]), side([MANHATTAN, moved, NEWARK]));
  t.same(diff.centers, {
    added: ['nj-newark'],
    removed: [],
    changed: [{ id: 'ny-albany', fields: ['phone', 'hours', 'languages'] }],
  });
  t.equal(
    diff.firstCenterChanged.zips,
    2,
    'Newark 07102 now goes to its own center first, ' +
      'and Philadelphia 19103 (no PA center) to Newark, nearer than Manhattan',
  );
});
