import { AFFILIATE_COLUMNS } from './affiliate.js';
import { parseAffiliatesCsv } from './affiliatesCsv.js';
import { readUploadText } from './uploadText.js';
import type { DatasetInput, Problem } from './validateDataset.js';

export type UploadTable = Pick<DatasetInput, 'columns' | 'rows' | 'rowNumbers'>;
/** `notes`: how the upload was read when it was not plain comma-separated UTF-8 (converted, semicolons…). */
export type UploadReadResult = { ok: true; table: UploadTable; notes: string[] } | { ok: false; problems: Problem[] };

const problem = (message: string): UploadReadResult => ({
  ok: false,
  problems: [{ row: null, column: null, message }],
});

/**
 * An uploaded affiliates table as rows, before validation. CSV is the format of data/, as bytes
 * (an upload: its encoding and separator are detected) or text (a stored version); JSON is an array
 * of row objects (or `{ "affiliates": [...] }`) with the same field names.
 */
export function readUpload(body: unknown, format: 'csv' | 'json'): UploadReadResult {
  const read = format === 'csv' ? readCsv(body) : readJson(body);
  if (!read.ok) return read;
  const replaced = replacementCharacters(read.table);
  return replaced.length > 0 ? { ok: false, problems: replaced } : read;
}

function readCsv(body: unknown): UploadReadResult {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return problem('the CSV is empty');
  const text = readUploadText(body);
  if (!text.ok) return text;
  const parsed = parseAffiliatesCsv(text.text, text.delimiter);
  if (!parsed.ok) return parsed;
  const notes = [...text.notes];
  // A spreadsheet that separates cells with semicolons or tabs usually writes decimal commas too.
  if (text.delimiter !== ',') {
    const fixed = decimalCommas(parsed.table);
    if (fixed.length > 0)
      notes.push(`lat/lon with a decimal comma read with a decimal point (${describeCells(fixed)})`);
  }
  return { ok: true, table: parsed.table, notes };
}

function readJson(body: unknown): UploadReadResult {
  const rows = Array.isArray(body)
    ? body
    : isObject(body) && Array.isArray(body.affiliates)
      ? body.affiliates
      : undefined;
  if (!rows)
    return problem('a JSON upload must be an array of affiliate rows, or an object with an "affiliates" array');
  const problems: Problem[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (!isObject(row)) problems.push({ row: i + 1, column: null, message: 'each row must be a JSON object' });
    else for (const key of Object.keys(row)) seen.add(key);
  });
  if (problems.length > 0) return { ok: false, problems };
  // Known columns in the CSV order, then any unknown ones so validation can name them.
  const columns = [
    ...AFFILIATE_COLUMNS.filter((c) => seen.has(c)),
    ...[...seen].filter((c) => !(AFFILIATE_COLUMNS as readonly string[]).includes(c)),
  ];
  return { ok: true, table: { columns, rows }, notes: [] };
}

type Cell = { row: number; column: string };

/** "40,7128" in lat or lon can only mean 40.7128; rewritten in place, the cells it touched returned. */
function decimalCommas(table: UploadTable): Cell[] {
  const fixed: Cell[] = [];
  table.rows.forEach((row, i) => {
    if (!isObject(row)) return;
    for (const column of ['lat', 'lon']) {
      const cell = row[column];
      if (typeof cell === 'string' && /^[+-]?\d{1,3},\d+$/.test(cell)) {
        row[column] = cell.replace(',', '.');
        fixed.push({ row: table.rowNumbers?.[i] ?? i + 1, column });
      }
    }
  });
  return fixed;
}

function describeCells(cells: readonly Cell[]): string {
  const listed = cells.slice(0, 3).map((c) => `row ${c.row} ${c.column}`);
  return cells.length > 3 ? `${listed.join(', ')} and ${cells.length - 3} more` : listed.join(', ');
}

/**
 * U+FFFD is what a program writes where it could not read a character: the table was damaged before
 * it got here, and storing it would put "Mayag\uFFFDez" in front of callers.
 */
function replacementCharacters(table: UploadTable): Problem[] {
  const problems: Problem[] = [];
  table.rows.forEach((row, i) => {
    if (!isObject(row)) return;
    for (const [column, cell] of Object.entries(row)) {
      const text = Array.isArray(cell) ? cell.join(' ') : cell;
      if (typeof text !== 'string' || !text.includes('\uFFFD')) continue;
      problems.push({
        row: table.rowNumbers?.[i] ?? i + 1,
        column,
        message:
          `${column} "${text.slice(0, 60)}" holds U+FFFD (\uFFFD), the mark left where an earlier program could ` +
          'not read a character: type the right character (e.g. ü) in its place and save as CSV UTF-8',
      });
    }
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
