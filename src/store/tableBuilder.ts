import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Geography } from '../dataset/geography.js';
import { PackedGeography } from '../dataset/packedGeography.js';
import { prepareDataset, type PreparedDataset, type PrepareResult } from '../dataset/prepareDataset.js';
import { readUpload } from '../dataset/readUpload.js';
import type { Dataset } from '../dataset/validateDataset.js';
import { compileRoutingTableInSteps } from '../routing/compileRoutingTable.js';
import type { RoutingPolicy, RoutingTable } from '../routing/types.js';
import type { StoredVersion, VersionMeta } from './versionStore.js';

/** The longest the compile holds the event loop before letting queued requests through. */
const SLICE_MS = 10;

/** A version this process has validated and compiled. */
export type LoadedVersion = { version: string; meta: VersionMeta; csv: string; dataset: Dataset; table: RoutingTable; compileMs: number };

/** Validates and compiles affiliate tables over the static geography of data/. */
export class TableBuilder {
  /**
   * Kept packed: with Redis the builder lives as long as the process, to compile each version
   * activated, and the geography as objects would be ~9 MB more heap for every full GC to mark.
   */
  private readonly geography: PackedGeography;

  constructor(
    geography: Geography | PackedGeography,
    readonly policy: RoutingPolicy,
  ) {
    this.geography = geography instanceof PackedGeography ? geography : PackedGeography.pack(geography);
  }

  prepare(body: unknown, format: 'csv' | 'json', options: { name: string; markedSample: boolean }): PrepareResult {
    return prepareDataset(readUpload(body, format), options, this.geography.zips);
  }

  /**
   * Compiling takes about half a second of CPU. It runs in slices of at most SLICE_MS, giving the
   * event loop back between them, so requests keep being answered during a reload; compileMs is
   * the CPU time spent compiling, not the wall time the slices spread over.
   */
  async compile(prepared: PreparedDataset): Promise<{ table: RoutingTable; compileMs: number }> {
    let steps: ReturnType<typeof compileRoutingTableInSteps> | undefined;
    let compileMs = 0;
    for (;;) {
      await nextTurn();
      const sliceStarted = performance.now();
      // In the first slice (~9 ms): place objects for this compile alone, garbage once it is done.
      steps ??= compileRoutingTableInSteps(this.geography.unpack(), prepared.dataset, this.policy, prepared.version);
      let step = steps.next();
      while (!step.done && performance.now() - sliceStarted < SLICE_MS) step = steps.next();
      compileMs += performance.now() - sliceStarted;
      if (step.done) return { table: step.value, compileMs };
    }
  }

  /** Rebuilds a stored version; throws if it no longer validates (a corrupt or hand-edited key). */
  async load(stored: StoredVersion): Promise<LoadedVersion> {
    const result = this.prepare(stored.csv, 'csv', { name: stored.meta.name, markedSample: stored.meta.markedSample });
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
    createdAt: new Date(nowMs).toISOString(),
    createdBy,
    origin,
    centers: prepared.dataset.affiliates.length,
  };
}
