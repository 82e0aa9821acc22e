import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { prepareDataset, type PreparedDataset, type PrepareResult } from '../dataset/prepareDataset.js';
import { GeographyCatalog } from './geographyCatalog.js';
import type { EmbeddedData } from '../dataset/loadEmbeddedDataset.js';
import type { StoredGeography } from '../geography/geographyVersion.js';
import { readUpload } from '../dataset/readUpload.js';
import type { Dataset } from '../dataset/validateDataset.js';
import { compileRoutingTableInSteps } from '../routing/compileRoutingTable.js';
import type { RoutingPolicy, RoutingTable } from '../routing/types.js';
import type { StoredVersion, VersionMeta } from './versionStore.js';

/** The longest the compile holds the event loop before letting queued requests through. */
const SLICE_MS = 10;

/** A version this process has validated and compiled. */
export type LoadedVersion = { version: string; meta: VersionMeta; csv: string; dataset: Dataset; table: RoutingTable; compileMs: number };

/** Validates and compiles affiliate tables over the geography each version names. */
export class TableBuilder {
  constructor(
    readonly geographies: GeographyCatalog,
    readonly policy: RoutingPolicy,
  ) {}

  /** Zips are the shipped ones whatever the geography; the version names `geography` (the shipped one by default). */
  prepare(body: unknown, format: 'csv' | 'json', options: { name: string; markedSample: boolean; geography?: string | undefined }): PrepareResult {
    const geography = options.geography ?? this.geographies.shipped.meta.id;
    return prepareDataset(readUpload(body, format), { ...options, geography }, this.geographies.shipped.packed.zips);
  }

  /**
   * Compiling takes about half a second of CPU. It runs in slices of at most SLICE_MS, giving the
   * event loop back between them, so requests keep being answered during a reload; compileMs is
   * the CPU time spent compiling, not the wall time the slices spread over.
   */
  async compile(prepared: PreparedDataset): Promise<{ table: RoutingTable; compileMs: number }> {
    const geography = (await this.geographies.get(prepared.geography)).packed;
    let steps: ReturnType<typeof compileRoutingTableInSteps> | undefined;
    let compileMs = 0;
    for (;;) {
      await nextTurn();
      const sliceStarted = performance.now();
      // In the first slice (~9 ms): place objects for this compile alone, garbage once it is done.
      steps ??= compileRoutingTableInSteps(geography.unpack(), prepared.dataset, this.policy, prepared.version);
      let step = steps.next();
      while (!step.done && performance.now() - sliceStarted < SLICE_MS) step = steps.next();
      compileMs += performance.now() - sliceStarted;
      if (step.done) return { table: step.value, compileMs };
    }
  }

  /**
   * Rebuilds a stored version over the geography it names (versions stored before geographies were
   * named compile over the shipped one); throws if it no longer validates or its geography is gone.
   */
  async load(stored: StoredVersion): Promise<LoadedVersion> {
    const { name, markedSample, geography } = stored.meta;
    const result = this.prepare(stored.csv, 'csv', { name, markedSample, geography });
    if (!result.ok) throw new Error(`stored version ${stored.meta.version} does not validate: ${result.problems.slice(0, 3).map((p) => p.message).join('; ')}`);
    const prepared = { ...result.prepared, version: stored.meta.version };
    const { table, compileMs } = await this.compile(prepared);
    return { version: stored.meta.version, meta: stored.meta, csv: stored.csv, dataset: prepared.dataset, table, compileMs };
  }
}

export function versionMeta(prepared: PreparedDataset, origin: VersionMeta['origin'], createdBy: string, nowMs: number): VersionMeta {
  return {
    version: prepared.version,
    name: prepared.name,
    markedSample: prepared.markedSample,
    sample: prepared.dataset.sample,
    geography: prepared.geography,
    createdAt: new Date(nowMs).toISOString(),
    createdBy,
    origin,
    centers: prepared.dataset.affiliates.length,
  };
}

/** A builder over data/'s geography, fetching any other a version names (from Redis, when given). */
export function tableBuilderFor(
  embedded: EmbeddedData,
  policy: RoutingPolicy,
  fetch?: (id: string) => Promise<StoredGeography | null>,
): TableBuilder {
  return new TableBuilder(new GeographyCatalog(embedded.geography, embedded.aliases, fetch), policy);
}
