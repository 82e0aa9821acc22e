import t from 'tap';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parseAffiliatesCsv, serializeAffiliatesCsv } from '../../src/dataset/affiliatesCsv.js';

t.test("a row of empty cells (a spreadsheet's formatted but blank row) is skipped like an empty line", async (t) => {
  const result = parseAffiliatesCsv('id,name\r\n,\r\nx,X\r\n , \r\n,,\r\n');
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(
    result.table.rows.map((r) => ({ ...(r as object) })),
    [{ id: 'x', name: 'X' }],
  );
  t.same(result.table.rowNumbers, [3], 'rows keep the line number ops see');
});

t.test('export and read back give the same cells, and no exported cell runs as a formula', async (t) => {
  const national = {
    id: 'national',
    kind: 'national',
    name: 'N',
    phone: '+18005550100',
    lat: null,
    lon: null,
    zip: null,
    state: null,
    timeZone: 'America/New_York',
    hours: '24/7',
    languages: ['en'],
    serviceStates: [],
    serviceZips: [],
    servicePrefixes: [],
    backupId: null,
  } as const;
  const text = fc.string({
    unit: fc.constantFrom("'", '=', '+', '-', '@', 'a', '1', '.', '"', ','),
    minLength: 1,
    maxLength: 8,
  });
  fc.assert(
    fc.property(text, (name) => {
      const csv = serializeAffiliatesCsv([
        {
          ...national,
          name,
          languages: [...national.languages],
          serviceStates: [],
          serviceZips: [],
          servicePrefixes: [],
        },
      ]);
      const cells = (parse(csv) as string[][]).flat();
      if (cells.some((c) => /^[=+\-@\t\r]/.test(c) && !/^[+-]?\d+(\.\d+)?$/.test(c))) return false;
      const read = parseAffiliatesCsv(csv);
      return read.ok && (read.table.rows[0] as { name: string }).name === name;
    }),
    { numRuns: 2000 },
  );
  t.equal(
    serializeAffiliatesCsv([
      { ...national, name: "'=1", languages: ['en'], serviceStates: [], serviceZips: [], servicePrefixes: [] },
    ])
      .split('\n')[1]!
      .split(',')[2],
    "''=1",
    'a value starting with an apostrophe before = gets one more',
  );
});
