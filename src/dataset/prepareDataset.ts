import type { ZipLookup } from './packedGeography.js';
import type { UploadReadResult } from './readUpload.js';
import { validateDataset, type Dataset, type Problem } from './validateDataset.js';
import { canonicalCsv, datasetVersion } from './datasetVersion.js';

/** A table ready to compile: its version is named by its content and the geography it compiles over. */
export type PreparedDataset = {
  name: string;
  markedSample: boolean;
  dataset: Dataset;
  csv: string;
  geography: string;
  version: string;
  /** How the upload was read when it was not plain comma-separated UTF-8 (see readUpload). */
  notes: string[];
};
export type PrepareOptions = { name: string; markedSample: boolean; geography: string };
export type PrepareResult = { ok: true; prepared: PreparedDataset } | { ok: false; problems: Problem[] };

/** A read table, validated and named by its content: ready to compile and store. */
export function prepareDataset(read: UploadReadResult, options: PrepareOptions, zips: ZipLookup): PrepareResult {
  if (!read.ok) return read;
  const result = validateDataset({ name: options.name, markedSample: options.markedSample, ...read.table }, zips);
  if (!result.ok) return result;
  const csv = canonicalCsv(result.dataset);
  const { name, markedSample, geography } = options;
  const version = datasetVersion(name, csv, geography);
  const { notes } = read;
  return { ok: true, prepared: { name, markedSample, dataset: result.dataset, csv, geography, version, notes } };
}
