import t from 'tap';
import { parseAffiliatesCsv, serializeAffiliatesCsv } from '../../src/dataset/affiliatesCsv.js';
import { validateDataset, type Problem, type ValidationResult } from '../../src/dataset/validateDataset.js';
import { miniGeography } from '../helpers/miniWorld.js';
import { PackedGeography } from '../../src/dataset/packedGeography.js';

const zips = PackedGeography.pack(miniGeography).zips;
const HEADER =
  'id,kind,name,phone,lat,lon,zip,state,timeZone,hours,languages,serviceStates,serviceZips,servicePrefixes,backupId';
const NATIONAL = 'national,national,Test National (fictional),+18005550100,,,,,America/New_York,24/7,en es,,,,';
const GOOD =
  'ny-manhattan,affiliate,Test Manhattan (fictional),+12125550101,40.75,-73.99,,' +
  'NY,America/New_York,Mo-Fr 09:00-17:00,en es,,,,';

function validate(csv: string, markedSample = false): ValidationResult {
  const table = parseAffiliatesCsv(csv);
  return table.ok ? validateDataset({ name: 't', markedSample, ...table.table }, zips) : table;
}
function problems(csv: string): Problem[] {
  const result = validate(csv);
  return result.ok ? [] : result.problems;
}

t.test('a good table validates, locating a center by zip when it has no lat/lon', async (t) => {
  const result = validate(
    [
      HEADER,
      NATIONAL,
      GOOD,
      'ny-albany,,Test Albany (fictional),(518) 555-0101,,,12207,NY,America/New_York,24/7,,,,,ny-manhattan',
    ].join('\n'),
  );
  t.equal(result.ok, true);
  if (!result.ok) return;
  const albany = result.dataset.affiliates[1]!;
  t.same(
    [albany.lat, albany.lon, albany.phone, albany.kind, albany.languages, albany.backupId],
    [42.6518, -73.7528, '+15185550101', 'affiliate', ['en'], 'ny-manhattan'],
  );
  t.equal(result.dataset.national.id, 'national');
  t.equal(result.dataset.sample, true, 'fictional 555-01XX numbers make it sample data');
});

t.test('real-looking numbers and no sample mark: not sample', async (t) => {
  const result = validate(
    [HEADER, NATIONAL.replace('+18005550100', '+18006564673'), GOOD.replace('+12125550101', '+12122267834')].join('\n'),
  );
  t.equal(result.ok && result.dataset.sample, false);
});

t.test('every problem in a table is reported, each with its row and column', async (t) => {
  const csv = [
    HEADER,
    NATIONAL,
    GOOD,
    'bad-phone,affiliate,Bad Phone,not a phone,40,-74,,NY,America/New_York,24/7,en,,,,',
    'bad-coords,affiliate,Bad Coords,+12125550102,95,-200,,NY,America/New_York,24/7,en,,,,',
    'bad-zone,affiliate,Bad Zone,+12125550103,40,-74,,NY,America/Gotham,24/7,en,,,,',
    'bad-hours,affiliate,Bad Hours,+12125550104,40,-74,,NY,America/New_York,nine to five,en,,,,',
    'ny-manhattan,affiliate,Duplicate,+12125550105,40,-74,,NY,America/New_York,24/7,en,,,,',
    'bad-backup,affiliate,Bad Backup,+12125550106,40,-74,,NY,America/New_York,24/7,en,,,,nowhere',
    'no-place,affiliate,No Place,+12125550107,,,,NY,America/New_York,24/7,en,,,,',
    'formula,affiliate,"=HYPERLINK(""http://x"")",+12125550108,40,-74,,NY,America/New_York,24/7,en,,,,',
  ].join('\r\n');
  const found = problems(csv).map((p) => `${p.row}:${p.column}`);
  t.same(
    found.sort(),
    ['10:zip', '11:name', '4:phone', '5:lat', '5:lon', '6:timeZone', '7:hours', '8:id', '9:backupId'].sort(),
  );
  const messages = problems(csv)
    .map((p) => p.message)
    .join('\n');
  t.match(messages, /duplicate id "ny-manhattan" \(first used on row 3\)/);
  t.match(messages, /not a known IANA time zone/);
  t.match(messages, /formula/);
});

t.test('missing and unknown columns are reported before any row', async (t) => {
  const found = problems(['id,name,phone,state,hours,colour', 'a,A,+12125550101,NY,24/7,red'].join('\n'));
  t.same(
    found.map((p) => [p.row, p.column]),
    [
      [null, 'timeZone'],
      [null, 'colour'],
    ],
  );
});

t.test('tables without exactly one national line, or with no centers, are refused', async (t) => {
  t.match(problems([HEADER, GOOD].join('\n'))[0]!.message, /exactly one row of kind "national"/);
  t.match(
    problems([HEADER, NATIONAL, NATIONAL.replace('national,', 'national2,')].join('\n'))[0]!.message,
    /exactly one/,
  );
  t.match(problems([HEADER, NATIONAL].join('\n'))[0]!.message, /no affiliate centers/);
});

t.test('empty, binary and malformed CSV uploads are refused with a reason', async (t) => {
  t.match(problems('')[0]!.message, /empty/);
  t.match(problems('id,name\u0000\u0001')[0]!.message, /binary/);
  t.match(problems([HEADER, NATIONAL, `${GOOD},extra,cells`].join('\n'))[0]!.message, /cells but the header has/);
  t.match(problems(`${HEADER}\n"unterminated`)[0]!.message, /cannot be read/);
});

t.test('a BOM and CRLF line ends from a spreadsheet export are accepted', async (t) => {
  t.equal(validate(`\uFEFF${[HEADER, NATIONAL, GOOD].join('\r\n')}\r\n`).ok, true);
});

t.test('export writes the upload format; re-import gives the same table; no cell would run as a formula', async (t) => {
  const first = validate([HEADER, NATIONAL, GOOD].join('\n'));
  if (!first.ok) throw new Error('fixture invalid');
  const csv = serializeAffiliatesCsv([first.dataset.national, ...first.dataset.affiliates]);
  t.equal(csv.split('\n')[0], `${HEADER},screened`, 'every column, the optional screened one included');
  for (const cell of csv.split(/[\n,]/)) t.notMatch(cell, /^[=@\t\r]|^[+-](?!\d+(\.\d+)?$)/, `cell ${cell} is safe`);
  const again = validate(csv);
  t.same(again.ok && again.dataset, first.dataset);
});

t.test('a cell escaped with an apostrophe against formulas is read back without it', async (t) => {
  const result = validate([HEADER, NATIONAL, GOOD.replace('+12125550101', "'+1 212 555 0101")].join('\n'));
  t.equal(result.ok && result.dataset.affiliates[0]!.phone, '+12125550101');
});

t.test("a fixed UTC offset is not a time zone: the center's hours would ignore daylight saving", async (t) => {
  for (const zone of ['+05:00', '-0500', 'UTC-5']) {
    const csv = [HEADER, NATIONAL, GOOD, `offset,affiliate,Offset,+12125550102,40,-74,,NY,${zone},24/7,en,,,,`].join(
      '\n',
    );
    t.match(problems(csv), [{ row: 4, column: 'timeZone' }], zone);
  }
});
