import type { ZipLookup } from './packedGeography.js';
import type { UploadReadResult } from './readUpload.js';
import { validateDataset, type Dataset, type Problem } from './validateDataset.js';
import { canonicalCsv, datasetVersion } from './datasetVersion.js';

export type PreparedDataset = { name: string; markedSample: boolean; dataset: Dataset; csv: string; version: string };
export type PrepareResult = { ok: true; prepared: PreparedDataset } | { ok: false; problems: Problem[] };

/** A read table, validated and named by its content: ready to compile and store. */
export function prepareDataset(read: UploadReadResult, options: { name: string; markedSample: boolean }, zips: ZipLookup): PrepareResult {
  if (!read.ok) return read;
  const result = validateDataset({ name: options.name, markedSample: options.markedSample, ...read.table }, zips);
  if (!result.ok) return result;
  const csv = canonicalCsv(result.dataset);
  return { ok: true, prepared: { name: options.name, markedSample: options.markedSample, dataset: result.dataset, csv, version: datasetVersion(options.name, csv) } };
}
