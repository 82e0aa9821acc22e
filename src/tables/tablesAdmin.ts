import type { AuditTrail } from '../store/audit.js';
import type { Coverage } from '../core/coverage.js';
import { loadedVersion, versionMeta, type LoadedVersion, type TableBuilder } from './tableBuilder.js';
import { GeographyRefused } from '../geography/exchangeTable.js';
import { NanpaFileError } from '../geography/nanpaReports.js';
import type { ActivationRecord, StoredVersion, VersionListing, VersionStore } from '../store/versionStore.js';
import type {
  ActivateOutcome,
  Actor,
  DryRunCoverage,
  GeographyOutcome,
  GeographyReport,
  GeographyRequest,
  UploadOutcome,
  UploadReport,
  UploadRequest,
} from './tablesAdminTypes.js';

export type * from './tablesAdminTypes.js';

/** How long an activation waits for a replica of Redis to hold it before it is acknowledged. */
const REPLICATION_TIMEOUT_MS = 500;
/** Coverage of versions neither served nor just compiled, kept so a page reload does not compile again. */
const KEPT_COVERAGES = 4;

/**
 * What ops do to the tables, whether through the admin API or the CLI on Redis directly:
 * every upload validated and compiled before it is stored, every action audited.
 */
export class TablesAdmin {
  private lastCompiled: LoadedVersion | null = null;
  private readonly coverages = new Map<string, Coverage>();

  constructor(
    private readonly deps: {
      store: VersionStore;
      audit: AuditTrail;
      builder: TableBuilder;
      /** The version this process already serves, so a diff needs no second compile. */
      loaded?: () => LoadedVersion | null;
      /** Why a version may not go live here (sample data in production), or null. */
      refusal?: (version: { version: string; sample: boolean }) => string | null;
      /** Keeps an activation where Redis losing it cannot revert it (the follower's history and snapshot). */
      keepActivation?: (record: ActivationRecord, version: StoredVersion) => Promise<void>;
      now?: () => number;
    },
  ) {}

  get store(): VersionStore {
    return this.deps.store;
  }

  async upload(request: UploadRequest, actor: Actor): Promise<UploadOutcome> {
    const { store, audit, builder } = this.deps;
    const action = request.dryRun ? 'dry-run' : 'upload';
    // A new table compiles over the geography in service, so a geography refresh outlives table uploads.
    const active = await this.activeLoaded();
    const options = { name: request.name, markedSample: request.markedSample, geography: active?.meta.geography };
    const source = { body: request.body, format: request.format };
    const built = await builder.build(source, { ...options, coverage: request.dryRun }, active);
    if (!built.ok) {
      const detail = `${built.problems.length} problem(s): ${built.problems[0]?.message ?? ''}`.slice(0, 300);
      await audit.record({ who: actor.who, action, outcome: 'rejected', detail }, actor.log, this.now());
      return built;
    }
    const { prepared, diff } = built;
    const { version } = prepared;
    let created = false;
    let activated = false;
    let previous: string | null = null;
    if (!request.dryRun) {
      const meta = versionMeta(prepared, 'upload', actor.who, this.now());
      await this.storeGeography(prepared.geography);
      created = await store.save({ meta, csv: prepared.csv });
      this.lastCompiled = loadedVersion(built, meta);
      await audit.record(
        { who: actor.who, action, version, outcome: 'ok', detail: created ? 'stored' : 'already stored' },
        actor.log,
        this.now(),
      );
      if (request.activate) {
        const outcome = await this.activate(version, actor);
        activated = outcome.ok;
        previous = outcome.ok ? outcome.previous : null;
      }
    } else {
      await audit.record(
        {
          who: actor.who,
          action,
          version,
          outcome: 'ok',
          detail: diff ? `against ${active!.version}` : 'nothing active',
        },
        actor.log,
        this.now(),
      );
    }
    const report: UploadReport = {
      version,
      dryRun: request.dryRun,
      created,
      activated,
      previous,
      sample: prepared.dataset.sample,
      centers: prepared.dataset.affiliates.length,
      compileMs: Math.round(built.compileMs),
      against: active?.version ?? null,
      diff,
      coverage: request.dryRun ? await this.beforeAndAfter(active, built.coverage) : null,
      problems: [],
      notes: prepared.notes,
    };
    return { ok: true, report };
  }

  /**
   * A newer download of NANPA's reports, as a new version: the active table over the new geography,
   * validated, compiled and compared like any upload. A file that fails the geography's checks is
   * refused with the reasons, and nothing changes.
   */
  async uploadGeography(request: GeographyRequest, actor: Actor): Promise<GeographyOutcome> {
    const { store, audit, builder } = this.deps;
    const action = request.dryRun ? 'geography-dry-run' : 'geography';
    const active = await this.activeLoaded();
    if (!active)
      return { ok: false, problems: [{ row: null, column: null, message: 'no version is active to refresh' }] };
    let built;
    try {
      const base = active.meta.geography ?? builder.geographies.shipped.meta.id;
      built = await builder.geographies.build(request.coCodes, request.npaReport, base, actor.who, this.now());
    } catch (error) {
      if (!(error instanceof NanpaFileError || error instanceof GeographyRefused)) throw error;
      const reasons = error instanceof GeographyRefused ? error.reasons : [error.message];
      await audit.record(
        { who: actor.who, action, outcome: 'rejected', detail: reasons.join('; ').slice(0, 300) },
        actor.log,
        this.now(),
      );
      return { ok: false, problems: reasons.map((message) => ({ row: null, column: null, message })) };
    }
    const geography = built.stored.meta;
    const { name, markedSample } = active.meta;
    const rebuilt = await builder.build(
      { body: active.csv, format: 'csv' },
      { name, markedSample, geography: geography.id, coverage: request.dryRun },
      active,
    );
    if (!rebuilt.ok) throw new Error(`the active table does not validate: ${rebuilt.problems[0]?.message ?? ''}`);
    const { prepared } = rebuilt;
    const { version } = prepared;
    const diff = rebuilt.diff!;
    let created = false;
    let activated = false;
    let previous: string | null = null;
    if (!request.dryRun) {
      await store.saveGeography(built.stored);
      const meta = versionMeta(prepared, 'upload', actor.who, this.now());
      created = await store.save({ meta, csv: prepared.csv });
      this.lastCompiled = loadedVersion(rebuilt, meta);
      if (request.activate) {
        const outcome = await this.activate(version, actor);
        activated = outcome.ok;
        previous = outcome.ok ? outcome.previous : null;
      }
    }
    const detail = `${geography.id} (NANPA ${geography.coCodes}) over ${active.version}`;
    await audit.record({ who: actor.who, action, version, outcome: 'ok', detail }, actor.log, this.now());
    const report: GeographyReport = {
      version,
      dryRun: request.dryRun,
      created,
      activated,
      previous,
      compileMs: Math.round(rebuilt.compileMs),
      against: active.version,
      diff,
      coverage: request.dryRun ? await this.beforeAndAfter(active, rebuilt.coverage) : null,
      geography,
      unlocatedRateCenters: built.stats.unlocated.length,
      geographyDiff: built.diff,
    };
    return { ok: true, report };
  }

  async activate(version: string, actor: Actor): Promise<ActivateOutcome> {
    const entry = { who: actor.who, action: 'activate' as const, version };
    const stored = await this.deps.store.load(version);
    if (!stored) {
      await this.deps.audit.record({ ...entry, outcome: 'rejected', detail: 'unknown version' }, actor.log, this.now());
      return { ok: false, reason: 'unknown_version' };
    }
    // Refused here, before the pointer moves: every instance would refuse it anyway and keep its
    // tables, but ops would believe the activation had worked.
    const refusal = this.deps.refusal?.({ version, sample: stored.meta.sample }) ?? null;
    if (refusal) {
      await this.deps.audit.record(
        { ...entry, outcome: 'rejected', detail: refusal.slice(0, 300) },
        actor.log,
        this.now(),
      );
      return { ok: false, reason: 'refused', message: refusal };
    }
    const result = await this.deps.store.activate(version);
    if (!result) {
      await this.deps.audit.record({ ...entry, outcome: 'rejected', detail: 'unknown version' }, actor.log, this.now());
      return { ok: false, reason: 'unknown_version' };
    }
    const done = { ...entry, previous: result.previous };
    // Acknowledged once as durable as docs/redis.md promises: on a replica when Redis has any, and
    // in this instance's history copy (and snapshot), which puts it back if Redis loses it.
    await this.deps.keepActivation?.({ version, at: result.at }, stored);
    const { replicas, acknowledged } = await this.deps.store.replicate(REPLICATION_TIMEOUT_MS);
    if (replicas > 0 && acknowledged === 0) {
      const message =
        `${version} is active on the Redis primary, but no replica confirmed it within ` +
        `${REPLICATION_TIMEOUT_MS} ms: a failover now could revert it; activate it again to confirm`;
      await this.deps.audit.record(
        { ...done, outcome: 'failed', detail: message.slice(0, 300) },
        actor.log,
        this.now(),
      );
      return { ok: false, reason: 'not_replicated', message };
    }
    await this.deps.audit.record({ ...done, outcome: 'ok' }, actor.log, this.now());
    return { ok: true, version, previous: result.previous };
  }

  /** The table this admin compiled for `version`, if it was the last one. */
  compiled(version: string): LoadedVersion | null {
    return this.lastCompiled?.version === version ? this.lastCompiled : null;
  }

  /** A dry run's coverage: the active version's (worked out now if it never was) and the upload's. */
  private async beforeAndAfter(active: LoadedVersion | null, after: Coverage | null): Promise<DryRunCoverage> {
    if (after === null) throw new Error('a dry run compiles with its coverage');
    return { before: active ? await this.coverage(active.version) : null, after };
  }

  /** What a stored version does to coverage: compiled again unless known already; null if no such version. */
  async coverage(version: string): Promise<Coverage | null> {
    const known = [this.deps.loaded?.() ?? null, this.lastCompiled].find((c) => c?.version === version);
    if (known?.coverage) return known.coverage;
    const cached = this.coverages.get(version);
    if (cached) return cached;
    const stored = await this.deps.store.load(version);
    if (!stored) return null;
    const { coverage } = await this.deps.builder.load(stored, true);
    if (coverage === null) throw new Error(`compiling ${version} gave no coverage`);
    // Versions are named by their content, so a version's coverage never changes.
    this.coverages.set(version, coverage);
    if (this.coverages.size > KEPT_COVERAGES) this.coverages.delete(this.coverages.keys().next().value!);
    return coverage;
  }

  async list(): Promise<VersionListing[]> {
    return this.deps.store.list();
  }

  /** The stored CSV, in the upload format; null for an unknown version. */
  async export(version: string, actor: Actor): Promise<string | null> {
    const stored = await this.deps.store.load(version);
    await this.deps.audit.record(
      { who: actor.who, action: 'export', version, outcome: stored ? 'ok' : 'rejected' },
      actor.log,
      this.now(),
    );
    return stored?.csv ?? null;
  }

  /** The geography a stored version names must be in Redis too, so every instance compiles the same. */
  private async storeGeography(id: string): Promise<void> {
    const entry = await this.deps.builder.geographies.get(id);
    await this.deps.store.saveGeography({ meta: entry.meta, json: entry.json });
  }

  /** The active version compiled: from this process when it serves it, else rebuilt from Redis. */
  private async activeLoaded(): Promise<LoadedVersion | null> {
    const active = await this.deps.store.activeVersion();
    if (active === null) return null;
    const candidates = [this.deps.loaded?.() ?? null, this.lastCompiled];
    const known = candidates.find((c) => c?.version === active);
    if (known) return known;
    const stored = await this.deps.store.load(active);
    if (!stored) return null;
    this.lastCompiled = await this.deps.builder.load(stored);
    return this.lastCompiled;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
