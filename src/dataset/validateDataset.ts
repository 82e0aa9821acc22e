import {
  AFFILIATE_COLUMNS,
  AffiliateRowSchema,
  REQUIRED_COLUMNS,
  isFictionalNumber,
  type Affiliate,
} from './affiliate.js';
import type { ZipLookup } from './packedGeography.js';
import { CountyIndex } from './counties.js';

/** One thing wrong with an upload; `row` is the row as ops see it (the CSV line), `column` the column name. */
export type Problem = { row: number | null; column: string | null; message: string };

export type Dataset = {
  name: string;
  /** Sample data: marked so, or carrying any number from the fictional 555-01XX range. */
  sample: boolean;
  affiliates: Affiliate[];
  national: Affiliate;
};

export type ValidationResult = { ok: true; dataset: Dataset } | { ok: false; problems: Problem[] };

export type DatasetInput = {
  name: string;
  markedSample: boolean;
  columns: readonly string[];
  rows: readonly unknown[];
  /** Row number shown to ops for the i-th record (CSV line numbers; 1-based index for JSON). */
  rowNumbers?: readonly number[];
};

export const MAX_ROWS = 5000;

/** Every check on an affiliates table, collecting every problem rather than stopping at the first. */
export function validateDataset(input: DatasetInput, zips: ZipLookup): ValidationResult {
  const problems: Problem[] = [];
  const rowNumber = (i: number) => input.rowNumbers?.[i] ?? i + 1;

  for (const column of REQUIRED_COLUMNS) {
    if (!input.columns.includes(column))
      problems.push({ row: null, column, message: `required column "${column}" is missing` });
  }
  for (const column of input.columns) {
    if (!(AFFILIATE_COLUMNS as readonly string[]).includes(column)) {
      problems.push({
        row: null,
        column,
        message: `unknown column "${column.slice(0, 60)}" (allowed: ${AFFILIATE_COLUMNS.join(', ')})`,
      });
    }
  }
  if (input.rows.length === 0) problems.push({ row: null, column: null, message: 'the table has no rows' });
  if (input.rows.length > MAX_ROWS)
    problems.push({
      row: null,
      column: null,
      message: `the table has ${input.rows.length} rows; at most ${MAX_ROWS} are allowed`,
    });
  if (problems.length > 0) return { ok: false, problems };

  const affiliates: Affiliate[] = [];
  let countyIndex: CountyIndex | undefined;
  const countiesOf = (row: number, items: readonly string[]): string[] => {
    countyIndex ??= new CountyIndex(zips.counties ?? []);
    const fips: string[] = [];
    for (const item of items) {
      const match = countyIndex.resolve(item);
      if (!match.ok) problems.push({ row, column: 'serviceCounties', message: match.message });
      else if (!fips.includes(match.fips)) fips.push(match.fips);
    }
    return fips;
  };
  const firstRowOfId = new Map<string, number>();
  // Ids of rows rejected above: a backup naming one is reported with that row, not once more per center.
  const rejectedIds = new Set<string>();
  input.rows.forEach((raw, i) => {
    const row = rowNumber(i);
    const parsed = AffiliateRowSchema.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id === 'string') rejectedIds.add(id.trim());
      for (const issue of parsed.error.issues)
        problems.push({ row, column: issue.path.length > 0 ? String(issue.path[0]) : null, message: issue.message });
      return;
    }
    const r = parsed.data;
    const seenAt = firstRowOfId.get(r.id);
    if (seenAt !== undefined)
      problems.push({ row, column: 'id', message: `duplicate id "${r.id}" (first used on row ${seenAt})` });
    else firstRowOfId.set(r.id, row);

    let lat = r.lat ?? null;
    let lon = r.lon ?? null;
    if (r.kind === 'affiliate') {
      if (!r.state) problems.push({ row, column: 'state', message: 'state is required for an affiliate' });
      if ((lat === null) !== (lon === null))
        problems.push({
          row,
          column: lat === null ? 'lat' : 'lon',
          message: 'give both lat and lon, or neither and a zip',
        });
      else if (lat === null) {
        const place = r.zip ? zips.get(r.zip) : undefined;
        if (!r.zip)
          problems.push({ row, column: 'zip', message: 'an affiliate needs a location: lat and lon, or a zip' });
        else if (!place)
          problems.push({
            row,
            column: 'zip',
            message: `zip ${r.zip} is not a known US zip, so it cannot locate the center; give lat and lon`,
          });
        else ({ lat, lon } = place);
      }
    }
    const { serviceCounties, ...rest } = r;
    const counties = serviceCounties.length > 0 ? { serviceCounties: countiesOf(row, serviceCounties) } : {};
    affiliates.push({
      ...rest,
      ...counties,
      lat,
      lon,
      zip: r.zip ?? null,
      state: r.state ?? null,
      backupId: r.backupId ?? null,
      languages: r.languages.length > 0 ? r.languages : ['en'],
    });
  });

  const byId = new Map(affiliates.map((a) => [a.id, a]));
  affiliates.forEach((a) => {
    if (a.backupId === null) return;
    const row = firstRowOfId.get(a.id) ?? null;
    if (a.backupId === a.id) problems.push({ row, column: 'backupId', message: 'a center cannot be its own backup' });
    else if (!byId.has(a.backupId) && !rejectedIds.has(a.backupId))
      problems.push({
        row,
        column: 'backupId',
        message: `backupId "${a.backupId.slice(0, 64)}" is not the id of any center in this table`,
      });
  });

  const nationals = affiliates.filter((a) => a.kind === 'national');
  if (nationals.length !== 1 && problems.every((p) => p.column !== 'kind')) {
    problems.push({
      row: null,
      column: 'kind',
      message:
        'the table must have exactly one row of kind "national" (the national fallback line); ' +
        `it has ${nationals.length}`,
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const national = nationals[0]!;
  const centers = affiliates.filter((a) => a.kind === 'affiliate');
  if (centers.length === 0)
    return {
      ok: false,
      problems: [{ row: null, column: null, message: 'the table has no affiliate centers, only the national line' }],
    };
  const sample = input.markedSample || affiliates.some((a) => isFictionalNumber(a.phone));
  return { ok: true, dataset: { name: input.name, sample, affiliates: centers, national } };
}
