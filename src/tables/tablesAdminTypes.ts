// What ops ask of the tables (the admin API and the CLI alike) and what they are answered.
import type { FastifyBaseLogger } from 'fastify';
import type { DatasetDiff } from '../dataset/diffDatasets.js';
import type { Problem } from '../dataset/validateDataset.js';
import type { GeographyDiff } from '../geography/diffGeography.js';
import type { GeographyMeta } from '../geography/geographyVersion.js';
import type { Coverage } from '../core/coverage.js';

export type Actor = { who: string; log: Pick<FastifyBaseLogger, 'info' | 'warn'> };

export type UploadRequest = {
  body: unknown;
  format: 'csv' | 'json';
  name: string;
  markedSample: boolean;
  dryRun: boolean;
  activate: boolean;
};

/** What the active version (before, null on an empty store) and an upload (after) do to coverage. */
export type DryRunCoverage = { before: Coverage | null; after: Coverage };

export type UploadReport = {
  version: string;
  dryRun: boolean;
  /** false when this exact version was already stored (versions are named by content). */
  created: boolean;
  activated: boolean;
  previous: string | null;
  sample: boolean;
  centers: number;
  compileMs: number;
  /** The version compared against: the active one, or null on an empty store. */
  against: string | null;
  diff: DatasetDiff | null;
  /** Dry runs: what the active version (before) and the upload (after) do to coverage; null otherwise. */
  coverage: DryRunCoverage | null;
  problems: Problem[];
  /** How the file was read when it was not plain comma-separated UTF-8: "read as Windows-1252 and converted…". */
  notes: string[];
};

export type UploadOutcome = { ok: true; report: UploadReport } | { ok: false; problems: Problem[] };

/** NANPA's two reports as downloaded: the zipped central office code file and npa_report.csv. */
export type GeographyRequest = { coCodes: Uint8Array; npaReport: string; dryRun: boolean; activate: boolean };

export type GeographyReport = Omit<UploadReport, 'sample' | 'centers' | 'problems' | 'notes' | 'diff' | 'against'> & {
  against: string;
  diff: DatasetDiff;
  geography: GeographyMeta;
  /** Rate centers of the new file that nothing located: their exchanges are placed at area-code level. */
  unlocatedRateCenters: number;
  geographyDiff: GeographyDiff;
};

export type GeographyOutcome = { ok: true; report: GeographyReport } | { ok: false; problems: Problem[] };
export type ActivateOutcome =
  | { ok: true; version: string; previous: string | null }
  | { ok: false; reason: 'unknown_version' }
  | { ok: false; reason: 'refused' | 'not_replicated'; message: string };
