import type { DatasetDiff } from '../dataset/diffDatasets.js';
import type { PreparedDataset } from '../dataset/prepareDataset.js';
import type { EmbeddedData } from '../dataset/loadEmbeddedDataset.js';
import type { Dataset, Problem } from '../dataset/validateDataset.js';
import type { StoredGeography } from '../geography/geographyVersion.js';
import { unpackRoutingTable, type RoutingTableParts } from '../core/tableParts.js';
import type { Coverage } from '../core/coverage.js';
import type { RoutingPolicy, RoutingTable } from '../core/types.js';
import { GeographyCatalog } from './geographyCatalog.js';
import { TableCompiler } from './tableCompiler.js';
import type { StoredVersion, VersionMeta } from '../store/versionStore.js';

/** A version this process has validated and compiled. */
export type LoadedVersion = {
  version: string;
  meta: VersionMeta;
  csv: string;
  dataset: Dataset;
  table: RoutingTable;
  /** The table as the worker sent it (sharing its arrays), to compare a later upload against. */
  parts: RoutingTableParts;
  compileMs: number;
  /** What the table does to coverage, when it was asked for (dry runs, the coverage page). */
  coverage: Coverage | null;
};

export type BuildSource = { body: unknown; format: 'csv' | 'json' };
export type BuildOptions = {
  name: string;
  markedSample: boolean;
  geography?: string | undefined;
  /** Work out coverage too (a tenth of a second more). */
  coverage?: boolean;
};
export type Built = {
  prepared: PreparedDataset;
  table: RoutingTable;
  parts: RoutingTableParts;
  /** CPU time of the compile in the worker thread. */
  compileMs: number;
  /** Against the version given to compare with; null without one. */
  diff: DatasetDiff | null;
  coverage: Coverage | null;
};
export type BuildOutcome = ({ ok: true } & Built) | { ok: false; problems: Problem[] };

/**
 * Validates and compiles affiliate tables over the geography each version names, in a worker
 * thread: the event loop that answers callers only takes the compiled arrays over.
 */
export class TableBuilder {
  constructor(
    readonly geographies: GeographyCatalog,
    readonly policy: RoutingPolicy,
    private readonly compiler = new TableCompiler(),
  ) {}

  /** The version's geography defaults to the shipped one; `against` is compared with in the worker. */
  async build(
    source: BuildSource,
    options: BuildOptions,
    against?: LoadedVersion | null,
    version?: string,
  ): Promise<BuildOutcome> {
    const geography = options.geography ?? this.geographies.shipped.meta.id;
    const entry = await this.geographies.get(geography);
    const request = {
      source,
      options: { name: options.name, markedSample: options.markedSample, geography },
      version,
      policy: this.policy,
      against: against ? { dataset: against.dataset, table: against.parts } : undefined,
      coverage: options.coverage,
    };
    const answer = await this.compiler.compile(request, () => entry.packed.parts);
    if (!answer.ok) {
      if ('problems' in answer) return { ok: false, problems: answer.problems };
      throw new Error(`compiling the tables failed: ${answer.failed}`);
    }
    const table = unpackRoutingTable(answer.table);
    return {
      ok: true,
      prepared: answer.prepared,
      table,
      parts: answer.table,
      compileMs: answer.compileMs,
      diff: answer.diff,
      coverage: answer.coverage,
    };
  }

  /**
   * Rebuilds a stored version over the geography it names (versions stored before geographies were
   * named compile over the shipped one); throws if it no longer validates or its geography is gone.
   */
  async load(stored: StoredVersion, coverage = false): Promise<LoadedVersion> {
    const { name, markedSample, geography, version } = stored.meta;
    const built = await this.build(
      { body: stored.csv, format: 'csv' },
      { name, markedSample, geography, coverage },
      null,
      version,
    );
    if (!built.ok) {
      const reasons = built.problems
        .slice(0, 3)
        .map((p) => p.message)
        .join('; ');
      throw new Error(`stored version ${version} does not validate: ${reasons}`);
    }
    return loadedVersion(built, stored.meta);
  }

  close(): Promise<void> {
    return this.compiler.close();
  }
}

export function loadedVersion(built: Built, meta: VersionMeta): LoadedVersion {
  const { prepared, table, parts, compileMs, coverage } = built;
  const { csv, dataset } = prepared;
  return { version: meta.version, meta, csv, dataset, table, parts, compileMs, coverage };
}

export function versionMeta(
  prepared: PreparedDataset,
  origin: VersionMeta['origin'],
  createdBy: string,
  nowMs: number,
): VersionMeta {
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
