import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { FORMULA_START, exportColumns, type Affiliate } from './affiliate.js';
import type { DatasetInput, Problem } from './validateDataset.js';

const SEPARATOR = { ',': 'a comma', ';': 'a semicolon', '\t': 'a tab' } as const;
const SAVE_AS = 'save it from the spreadsheet as "CSV UTF-8 (comma delimited)" and upload that file';

export type CsvParseResult =
  { ok: true; table: Pick<DatasetInput, 'columns' | 'rows' | 'rowNumbers'> } | { ok: false; problems: Problem[] };

/**
 * Read an affiliates CSV as ops produce it: a spreadsheet export with a header row, maybe a BOM,
 * CRLF line ends, quoted cells, and cells escaped with a leading apostrophe against formula injection.
 */
export function parseAffiliatesCsv(text: string, delimiter: ',' | ';' | '\t' = ','): CsvParseResult {
  if (text.trim() === '') return { ok: false, problems: [{ row: null, column: null, message: 'the CSV is empty' }] };
  if (text.includes('\u0000'))
    return {
      ok: false,
      problems: [{ row: null, column: null, message: `the upload is binary, not a CSV text table: ${SAVE_AS}` }],
    };
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      bom: true,
      delimiter,
      info: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
    }) as unknown as typeof records;
  } catch (error) {
    return {
      ok: false,
      problems: [
        { row: null, column: null, message: `the CSV cannot be read: ${(error as Error).message.slice(0, 200)}` },
      ],
    };
  }
  const [header, ...body] = records;
  if (!header) return { ok: false, problems: [{ row: null, column: null, message: 'the CSV has no header row' }] };
  const columns = header.record.map((c) => c.trim());
  const problems: Problem[] = [];
  const duplicates = columns.filter((c, i) => columns.indexOf(c) !== i);
  for (const c of new Set(duplicates))
    problems.push({ row: 1, column: c, message: `column "${c.slice(0, 60)}" appears more than once` });
  const rows: Array<Record<string, string>> = [];
  const rowNumbers: number[] = [];
  for (const { record, info } of body) {
    if (record.length > columns.length) {
      problems.push({
        row: info.lines,
        column: null,
        message:
          `row "${(record[0] ?? '').slice(0, 40)}" has ${record.length} cells but the header has ${columns.length} ` +
          `columns: put a cell that holds ${SEPARATOR[delimiter]} in double quotes, or remove the extra cells`,
      });
      continue;
    }
    const row: Record<string, string> = Object.create(null);
    columns.forEach((c, i) => {
      const cell = record[i];
      if (cell !== undefined) row[c] = unescapeCell(cell);
    });
    rows.push(row);
    rowNumbers.push(info.lines);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, table: { columns, rows, rowNumbers } };
}

/** Apostrophes before a formula character: the escape adds one, so reading takes one off. */
const ESCAPED = new RegExp(`^'+${FORMULA_START.source.slice(1)}`);
/** What gets escaped: a formula character, maybe behind apostrophes of the value's own. */
const NEEDS_ESCAPE = new RegExp(`^'*${FORMULA_START.source.slice(1)}`);

function unescapeCell(cell: string): string {
  return ESCAPED.test(cell) ? cell.slice(1) : cell;
}

/**
 * A cell a spreadsheet would evaluate gets a leading apostrophe; parseAffiliatesCsv takes it off
 * again. A value that already starts with apostrophes before a formula character gets one more,
 * or reading it back would take its own off (export and upload again must give the same table).
 * A plain number (a longitude, an E.164 phone) is data, not a formula, and stays as it is.
 */
function escapeCell(value: string): string {
  return NEEDS_ESCAPE.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
}

/** The table in the upload format, so ops can download, edit and upload it again. */
export function serializeAffiliatesCsv(affiliates: readonly Affiliate[]): string {
  const columns = exportColumns(affiliates);
  const rows = affiliates.map((a) =>
    columns.map((column) => {
      const value = a[column];
      if (value === null || value === undefined) return '';
      return escapeCell(Array.isArray(value) ? value.join(' ') : String(value));
    }),
  );
  return stringify([columns, ...rows]);
}
