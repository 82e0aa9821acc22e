// A worker thread's entry: reading, validating and compiling affiliate tables, which take up to a
// second of CPU, off the event loop that answers callers. Compiled tables go back as typed arrays,
// moved rather than copied; errors go back as plain data.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { diffDatasets, type DatasetDiff } from '../dataset/diffDatasets.js';
import { PackedGeography, type PackedParts } from '../dataset/packedGeography.js';
import { prepareDataset, type PreparedDataset, type PrepareOptions } from '../dataset/prepareDataset.js';
import { readUpload } from '../dataset/readUpload.js';
import type { Dataset, Problem } from '../dataset/validateDataset.js';
import { compileRoutingTable } from '../core/compileRoutingTable.js';
import { computeCoverage, type Coverage } from '../core/coverage.js';
import { packRoutingTable, transferablesOf, unpackRoutingTable, type RoutingTableParts } from '../core/tableParts.js';
import type { RoutingPolicy } from '../core/types.js';

export type CompileJob = {
  id: number;
  source: { body: unknown; format: 'csv' | 'json' };
  options: PrepareOptions;
  /** A stored version keeps its stored name, which may predate how names are made now. */
  version?: string | undefined;
  policy: RoutingPolicy;
  /** The geography options.geography names, sent once per worker (see TableCompiler). */
  geography?: PackedParts | undefined;
  /** A compiled version to compare the new one against. */
  against?: { dataset: Dataset; table: RoutingTableParts } | undefined;
  /** Whether to work out what the table does to coverage as well. */
  coverage?: boolean | undefined;
};

export type CompileAnswer =
  | {
      id: number;
      ok: true;
      prepared: PreparedDataset;
      table: RoutingTableParts;
      compileMs: number;
      diff: DatasetDiff | null;
      coverage: Coverage | null;
    }
  | { id: number; ok: false; problems: Problem[] }
  | { id: number; ok: false; failed: string };

/**
 * Lowest CPU priority for this thread alone (Linux schedules threads as tasks): when a compile and
 * the thread that answers callers both want a core, callers win. Elsewhere it stays as it is.
 */
function yieldCpuToCallers(): void {
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19);
  } catch {
    // no /proc (not Linux) or not permitted: the compile runs at the default priority
  }
}
yieldCpuToCallers();

/** The geographies this worker was sent, by id: the served one and a new one, at most. */
const geographies = new Map<string, PackedGeography>();
const KEPT = 3;

function compile(job: CompileJob): CompileAnswer {
  const { id, options } = job;
  if (job.geography) {
    geographies.set(options.geography, PackedGeography.fromParts(job.geography));
    if (geographies.size > KEPT) geographies.delete(geographies.keys().next().value!);
  }
  const geography = geographies.get(options.geography);
  if (!geography) return { id, ok: false, failed: `geography ${options.geography} was not sent to the worker` };
  // Every geography is packed over the shipped zips, so any of them validates zips.
  const result = prepareDataset(readUpload(job.source.body, job.source.format), options, geography.zips);
  if (!result.ok) return { id, ok: false, problems: result.problems };
  const prepared = { ...result.prepared, version: job.version ?? result.prepared.version };
  const started = performance.now();
  const places = geography.unpack();
  const table = compileRoutingTable(places, prepared.dataset, job.policy, prepared.version);
  const compileMs = performance.now() - started;
  // Asked for by dry runs and the coverage page only: a tenth of a second on every compile otherwise.
  const coverage = job.coverage ? computeCoverage(table, places) : null;
  const against = job.against && { dataset: job.against.dataset, table: unpackRoutingTable(job.against.table) };
  const diff = against ? diffDatasets(against, { dataset: prepared.dataset, table }) : null;
  return { id, ok: true, prepared, table: packRoutingTable(table), compileMs, diff, coverage };
}

parentPort!.on('message', (job: CompileJob) => {
  let answer: CompileAnswer;
  try {
    answer = compile(job);
  } catch (error) {
    answer = { id: job.id, ok: false, failed: (error as Error).stack ?? String(error) };
  }
  parentPort!.postMessage(answer, answer.ok ? transferablesOf(answer.table) : []);
});
