import t from 'tap';
import { parseAffiliatesCsv, serializeAffiliatesCsv } from '../../src/dataset/affiliatesCsv.js';
import { validateDataset, type ValidationResult } from '../../src/dataset/validateDataset.js';
import { PackedGeography } from '../../src/dataset/packedGeography.js';
import { compileRoutingTable } from '../../src/core/compileRoutingTable.js';
import { DEFAULT_POLICY } from '../../src/core/types.js';
import { miniGeography } from '../helpers/miniWorld.js';

const zips = PackedGeography.pack(miniGeography).zips;
const HEADER = 'id,kind,name,phone,lat,lon,state,timeZone,hours,screened';
const NATIONAL = 'national,national,Test National (fictional),+18005550100,,,,America/New_York,24/7,';
const row = (id: string, phone: string, screened: string) =>
  `${id},affiliate,Test ${id} (fictional),${phone},40.75,-73.99,NY,America/New_York,24/7,${screened}`;

function validate(rows: string[]): ValidationResult {
  const table = parseAffiliatesCsv([HEADER, NATIONAL, ...rows].join('\n'));
  return table.ok ? validateDataset({ name: 't', markedSample: true, ...table.table }, zips) : table;
}

t.test('a center opts out of screening with screened=false; empty or absent means screened', async (t) => {
  const result = validate([
    row('ny-ivr', '+12125550101', 'false'),
    row('ny-a', '+12125550102', ''),
    row('ny-b', '+12125550103', 'TRUE'),
  ]);
  t.equal(result.ok, true);
  if (!result.ok) return;
  t.same(
    result.dataset.affiliates.map((a) => a.screened),
    [false, undefined, true],
  );
  const table = compileRoutingTable(miniGeography, result.dataset, DEFAULT_POLICY, 't-000000000000');
  t.same(
    table.centers.map((c) => [c.id, c.screened]),
    [
      ['ny-ivr', false],
      ['ny-a', true],
      ['ny-b', true],
    ],
  );
  t.equal(table.national.screened, true, 'whether the national line is screened is a setting, not the table’s');
  const again = parseAffiliatesCsv(serializeAffiliatesCsv([result.dataset.national, ...result.dataset.affiliates]));
  t.same(again.ok && again.table.rows.map((r) => (r as { screened?: string }).screened), ['', 'false', '', 'true']);
});

t.test('a screened cell that is not true or false is reported on its row', async (t) => {
  const result = validate([row('ny-a', '+12125550102', 'maybe')]);
  t.equal(result.ok, false);
  t.match(!result.ok && result.problems, [{ row: 3, column: 'screened', message: 'screened must be true or false' }]);
});
