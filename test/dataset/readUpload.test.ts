import t from 'tap';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { readUpload } from '../../src/dataset/readUpload.js';

// The sample table with one center named as a Puerto Rican spreadsheet would write it.
const csv = readFileSync('data/affiliates.csv', 'utf8').replace(
  'Sample Center San Juan (fictional)',
  'Sample Center Mayagüez (fictional)',
);
const SAN_JUAN_LINE = 158;
const cells = parse(csv) as string[][];
const rowOf = (read: ReturnType<typeof readUpload>, id: string) => {
  if (!read.ok) throw new Error(JSON.stringify(read.problems.slice(0, 3)));
  return (read.table.rows as Array<Record<string, string>>).find((r) => r.id === id)!;
};
const SAVE_AS = /Save As > "CSV UTF-8 \(comma delimited\)"/;

t.test('plain UTF-8, with or without a byte order mark, is read as it is and says nothing', async (t) => {
  for (const bytes of [Buffer.from(csv), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)])]) {
    const read = readUpload(bytes, 'csv');
    t.equal(rowOf(read, 'pr-san-juan').name, 'Sample Center Mayagüez (fictional)');
    t.same(read.ok && read.notes, []);
    t.same(read.ok && read.table.columns[0], 'id', 'the byte order mark is not part of the first column');
  }
});

t.test('a Windows-1252 export is converted to UTF-8, and the answer says so and where to check', async (t) => {
  const read = readUpload(Buffer.from(csv, 'latin1'), 'csv');
  t.equal(rowOf(read, 'pr-san-juan').name, 'Sample Center Mayagüez (fictional)');
  t.same(read.ok && read.notes, [
    `read as Windows-1252 and converted to UTF-8; line ${SAN_JUAN_LINE} now reads ` +
      '"Sample Center Mayagüez (fictional)": check that it reads right',
  ]);
  // Windows-1252's own characters beyond Latin-1: a curly apostrophe is byte 0x92.
  const curly = Buffer.from(csv.replace('Center Anchorage', 'Center Anchorage~s'), 'latin1').map((b) =>
    b === 0x7e ? 0x92 : b,
  );
  t.equal(rowOf(readUpload(curly, 'csv'), 'ak-anchorage').name, 'Sample Center Anchorage\u2019s (fictional)');
});

t.test('UTF-16 is converted, from its byte order mark or from the NULs of its ASCII text', async (t) => {
  const le = Buffer.from(csv, 'utf16le');
  const be = Buffer.from(le).swap16();
  const cases = [
    { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), le]), note: 'read as UTF-16 LE and converted to UTF-8' },
    { bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), be]), note: 'read as UTF-16 BE and converted to UTF-8' },
    { bytes: le, note: 'read as UTF-16 LE (no byte order mark) and converted to UTF-8' },
    { bytes: be, note: 'read as UTF-16 BE (no byte order mark) and converted to UTF-8' },
  ];
  for (const c of cases) {
    const read = readUpload(c.bytes, 'csv');
    t.equal(rowOf(read, 'pr-san-juan').name, 'Sample Center Mayagüez (fictional)', c.note);
    t.same(read.ok && read.notes, [c.note]);
  }
  const cut = readUpload(Buffer.concat([Buffer.from([0xff, 0xfe]), le.subarray(0, -1)]), 'csv');
  t.match(cut, { ok: false, problems: [{ message: /looks like UTF-16 LE but does not decode/ }] });
});

t.test('semicolon and tab separated tables are read, and the answer says so', async (t) => {
  // A European spreadsheet: semicolons between cells, decimal commas in coordinates.
  const european = cells.map((row, i) =>
    i === 0 ? row : row.map((cell, c) => (c === 4 || c === 5 ? cell.replace('.', ',') : cell)),
  );
  const semicolons = readUpload(Buffer.from(stringify(european, { delimiter: ';' }), 'latin1'), 'csv');
  t.match(rowOf(semicolons, 'pr-san-juan'), { name: 'Sample Center Mayagüez (fictional)', lat: '18.412' });
  t.match(semicolons.ok && semicolons.notes, [
    /^read as Windows-1252/,
    'columns are separated by semicolons (;), not commas: read as such',
    /^lat\/lon with a decimal comma read with a decimal point \(row 3 lat, row 3 lon, row 4 lat and \d+ more\)$/,
  ]);
  const tabs = readUpload(Buffer.from(stringify(cells, { delimiter: '\t' })), 'csv');
  t.equal(rowOf(tabs, 'il-peoria').hours, 'Mo-Th 08:00-20:00; Fr 08:00-17:00');
  t.same(tabs.ok && tabs.notes, ['columns are separated by tabs, not commas: read as such']);
});

t.test('a table pasted without its line breaks is one problem that says so', async (t) => {
  for (const joiner of [',', ' ', '']) {
    const read = readUpload(Buffer.from(csv.trim().split('\n').join(joiner)), 'csv');
    t.equal(read.ok, false);
    if (read.ok) continue;
    t.equal(read.problems.length, 1, `lines joined by ${JSON.stringify(joiner)}`);
    t.match(read.problems[0], { row: 1, message: /^the file has no line breaks: all of its \d+ cells are on line 1/ });
    t.match(read.problems[0]!.message, SAVE_AS);
  }
});

t.test('a U+FFFD left by an earlier conversion is refused, naming row, column and value', async (t) => {
  const damaged = readUpload(Buffer.from(csv.replace('Mayagüez', 'Mayag\uFFFDez')), 'csv');
  t.same(damaged, {
    ok: false,
    problems: [
      {
        row: SAN_JUAN_LINE,
        column: 'name',
        message:
          'name "Sample Center Mayag\uFFFDez (fictional)" holds U+FFFD (\uFFFD), the mark left where an earlier ' +
          'program could not read a character: type the right character (e.g. ü) in its place and save as CSV UTF-8',
      },
    ],
  });
  const json = readUpload([{ id: 'x', name: 'Caf\uFFFD' }], 'json');
  t.match(json, { ok: false, problems: [{ row: 1, column: 'name', message: /^name "Caf\uFFFD" holds U\+FFFD/ }] });
});

t.test('what cannot be read is refused in one problem naming what it is and how to fix it', async (t) => {
  const cases = [
    { name: 'xlsx', bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), message: /^this is an Excel workbook/ },
    { name: 'xls', bytes: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), message: /Excel 97-2003 workbook/ },
    {
      name: 'UTF-8 with one Latin-1 line',
      bytes: Buffer.concat([Buffer.from(csv), Buffer.from('x,affiliate,Caf\xe9\n', 'latin1')]),
      row: 203,
      message: /^the file mixes encodings: .* line 203 has byte 0xE9, which is not UTF-8 \(near "Café"\)/,
    },
    {
      name: 'a byte Windows-1252 leaves undefined',
      bytes: Buffer.concat([Buffer.from(csv, 'latin1'), Buffer.from([0x81, 0x0a])]),
      row: 203,
      message: /^the file is neither UTF-8 nor Windows-1252: line 203 has byte 0x81/,
    },
  ];
  for (const c of cases) {
    const read = readUpload(c.bytes, 'csv');
    t.match(read, { ok: false, problems: [{ row: c.row ?? null, message: c.message }] }, c.name);
    t.equal(!read.ok && read.problems.length, 1, c.name);
    t.match(!read.ok && read.problems[0]!.message, SAVE_AS, c.name);
  }
});

t.test('a stored version (text, not bytes) is read as comma-separated UTF-8 without notes', async (t) => {
  const read = readUpload(csv, 'csv');
  t.equal(rowOf(read, 'pr-san-juan').name, 'Sample Center Mayagüez (fictional)');
  t.same(read.ok && read.notes, []);
});
