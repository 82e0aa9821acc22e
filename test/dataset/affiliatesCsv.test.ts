import t from 'tap';
import { parseAffiliatesCsv } from '../../src/dataset/affiliatesCsv.js';

t.test('a row of empty cells (a spreadsheet\'s formatted but blank row) is skipped like an empty line', async (t) => {
  const result = parseAffiliatesCsv('id,name\r\n,\r\nx,X\r\n , \r\n,,\r\n');
  t.ok(result.ok);
  if (!result.ok) return;
  t.same(result.table.rows.map((r) => ({ ...(r as object) })), [{ id: 'x', name: 'X' }]);
  t.same(result.table.rowNumbers, [3], 'rows keep the line number ops see');
});
