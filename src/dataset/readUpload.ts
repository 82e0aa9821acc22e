import { AFFILIATE_COLUMNS } from './affiliate.js';
import { parseAffiliatesCsv } from './affiliatesCsv.js';
import type { DatasetInput, Problem } from './validateDataset.js';

export type UploadTable = Pick<DatasetInput, 'columns' | 'rows' | 'rowNumbers'>;
export type UploadReadResult = { ok: true; table: UploadTable } | { ok: false; problems: Problem[] };

const problem = (message: string): UploadReadResult => ({
  ok: false,
  problems: [{ row: null, column: null, message }],
});

/**
 * An uploaded affiliates table as rows, before validation. CSV is the format of data/; JSON is an
 * array of row objects (or `{ "affiliates": [...] }`) with the same field names.
 */
export function readUpload(body: unknown, format: 'csv' | 'json'): UploadReadResult {
  if (format === 'csv') return typeof body === 'string' ? parseAffiliatesCsv(body) : problem('the CSV is empty');
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
  return { ok: true, table: { columns, rows } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
