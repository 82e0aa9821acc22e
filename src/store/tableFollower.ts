import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { CurrentTable, TableSource } from '../tables/currentTable.js';
import type { AuditTrail } from './audit.js';
import type { LoadedVersion, TableBuilder } from '../tables/tableBuilder.js';
import type { ActivationRecord, StoredVersion, VersionStore } from './versionStore.js';
import type { Snapshot } from './snapshot.js';
import { SnapshotKeeper } from './snapshotKeeper.js';
import { putBackLostHistory, seedEmptyRedis, type RepairDeps } from './redisRepair.js';
import { TablesHistory } from './tablesHistory.js';
import { waitForReady } from './redisConnection.js';

export type FollowerStatus = {
  reachable: boolean;
  /** The version Redis says is active, as last read. */
  activeVersion: string | null;
  /** Whether this instance serves the active version. */
  following: boolean;
  lastCheckAt: string | null;
  lastError: string | null;
};

export type FollowerDeps = {
  redis: Redis;
  subscriber: Redis;
  store: VersionStore;
  builder: TableBuilder;
  tables: CurrentTable;
  audit: AuditTrail;
  log: FastifyBaseLogger;
  recheckMs: number;
  snapshotDir?: string;
  /** A version this process compiled already (the admin API just uploaded it), so it swaps without compiling again. */
  precompiled?: (version: string) => LoadedVersion | null;
  now?: () => number;
};

/**
 * The one served and the one before: a rollback swaps at once. Each more costs a table's memory,
 * and going back further than one version compiles again.
 */
export const RECENT_VERSIONS = 2;

/**
 * Keeps this instance on the version Redis names as active: loads it at start, reloads when the
 * change channel says the pointer moved, and re-reads the pointer every few seconds so a missed
 * message or a Redis restart cannot leave it behind. Compiling happens here, never on a request.
 */
export class TableFollower {
  private current: LoadedVersion | null = null;
  /** The last versions served, compiled: see RECENT_VERSIONS. */
  private readonly recent = new Map<string, LoadedVersion>();
  private pointer: string | null = null;
  private lastCheckAt: number | null = null;
  private lastError: string | null = null;
  private brokenVersion: string | null = null;
  private brokenReason: string | null = null;
  private wasReachable = true;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly snapshots: SnapshotKeeper;
  private readonly who = `instance:${hostname()}:${process.pid}`;
  private readonly history: TablesHistory;

  constructor(
    private readonly deps: FollowerDeps,
    /** What an empty Redis is seeded with when nothing else is loaded: the tables in data/. */
    private readonly seed: StoredVersion,
  ) {
    this.history = new TablesHistory(deps.store, deps.builder.geographies.shipped.meta.id);
    this.snapshots = new SnapshotKeeper(deps.snapshotDir, deps.builder.geographies, deps.log);
  }

  get loaded(): LoadedVersion | null {
    return this.current;
  }

  status(): FollowerStatus {
    return {
      reachable: this.deps.redis.status === 'ready',
      activeVersion: this.pointer,
      following: this.current !== null && this.current.version === this.pointer,
      lastCheckAt: this.lastCheckAt === null ? null : new Date(this.lastCheckAt).toISOString(),
      lastError: this.lastError,
    };
  }

  /**
   * Loads the active version, or, with Redis unreachable for `connectTimeoutMs`, the last snapshot
   * or data/; then follows Redis from there. Answers where the first tables came from.
   */
  async start(connectTimeoutMs: number): Promise<TableSource> {
    const { redis, subscriber, log } = this.deps;
    redis.on('error', (error: Error) => this.noteError(error));
    subscriber.on('error', (error: Error) => this.noteError(error));
    // 'close' comes with every lost connection; 'error' only once a reconnect attempt fails.
    redis.on('close', () => this.noteError(new Error('connection to Redis lost')));
    redis.on('ready', () => void this.check());
    subscriber.on('ready', () => void this.subscribe());
    subscriber.on('message', (channel: string) => {
      if (channel === this.deps.store.keys.changes) void this.check();
    });

    // The snapshot's history first: a Redis that comes back empty gets it back, even on this start.
    const snapshot = await this.snapshots.read();
    if (snapshot?.history) this.history.adopt(snapshot.history);
    if (await waitForReady(redis, connectTimeoutMs)) await this.check();
    if (this.deps.tables.table === null) await this.loadOffline(snapshot);
    this.timer = setInterval(() => void this.check(), this.deps.recheckMs);
    this.timer.unref();
    if (subscriber.status === 'ready') await this.subscribe();
    log.info(
      { source: this.deps.tables.source, datasetVersion: this.current?.version },
      'following the active tables in Redis',
    );
    return this.deps.tables.source!;
  }

  /** One check at a time; a request for another while one runs makes it run once more after. */
  check(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.checkOnce().catch((error: unknown) => this.noteError(error as Error));
      } while (this.again && !this.stopped);
      this.running = null;
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.snapshots.flushed(); // a clean stop leaves the snapshot of what it served
    this.deps.redis.disconnect();
    this.deps.subscriber.disconnect();
  }

  /**
   * An activation this instance acknowledged: kept in its history copy and on disk before the
   * answer, so Redis losing it (an empty restart, a lagging replica promoted) cannot revert it.
   */
  async noteActivation(record: ActivationRecord, version: StoredVersion): Promise<void> {
    await this.history.keep(version);
    this.history.note(record);
    await this.saveSnapshot();
  }

  private async checkOnce(): Promise<void> {
    const { redis, store, tables, log } = this.deps;
    if (redis.status !== 'ready') return;
    let record = await store.activation();
    this.lastCheckAt = this.now();
    if (!this.wasReachable) log.info({ activeVersion: record?.version ?? null }, 'Redis reachable again');
    this.wasReachable = true;
    this.lastError = null;
    if (this.history.lostBy(record)) record = await putBackLostHistory(this.repairDeps(), this.history, record);
    const active = record?.version ?? (await this.seedEmptyRedis());
    if (record) this.history.note(record);
    if (await this.history.follow()) this.saveSnapshot().catch(() => {});
    this.pointer = active;
    if (this.current?.version === active) {
      if (tables.source !== 'redis') tables.swap(this.current.table, 'redis', 0, this.now());
      return;
    }
    if (active === this.brokenVersion) {
      this.lastError = this.brokenReason;
      return;
    }
    const ready = this.recent.get(active) ?? this.deps.precompiled?.(active);
    if (ready) return this.swapTo(ready);
    const stored = await store.load(active);
    if (!stored) {
      // Not refused for good: a Redis that restarted empty between reading the pointer and the
      // version gets both back (TablesHistory), and the next check loads it.
      this.lastError = `cannot load ${active}: the active version is not stored in Redis`;
      this.deps.log.warn({ datasetVersion: active }, 'the active version is not stored in Redis; checking again');
      return;
    }
    let loaded: LoadedVersion;
    try {
      loaded = await this.deps.builder.load(stored);
    } catch (error) {
      return this.refuse(active, (error as Error).message);
    }
    this.swapTo(loaded);
  }

  private swapTo(loaded: LoadedVersion): void {
    const { tables, log } = this.deps;
    const previous = this.current?.version ?? tables.table?.version ?? null;
    try {
      tables.swap(loaded.table, 'redis', loaded.compileMs, this.now());
    } catch (error) {
      // Refused (sample data in production): keep serving what we have, and stop retrying this version.
      return this.refuse(loaded.version, (error as Error).message);
    }
    this.current = loaded;
    this.remember(loaded);
    log.info(
      { datasetVersion: loaded.version, previous, compileMs: Math.round(loaded.compileMs), sample: loaded.meta.sample },
      'routing tables swapped to the active version',
    );
    this.saveSnapshot().catch(() => {});
  }

  /** Writes what this instance serves and its history copy. */
  private saveSnapshot(): Promise<void> {
    return this.current ? this.snapshots.save(this.current, this.history.copy()) : Promise.resolve();
  }

  private seedEmptyRedis(): Promise<string> {
    const source = this.current
      ? { meta: { ...this.current.meta, origin: 'restore' as const }, csv: this.current.csv }
      : { meta: { ...this.seed.meta, origin: 'seed' as const }, csv: this.seed.csv };
    return seedEmptyRedis(this.repairDeps(), this.deps.builder.geographies, source);
  }

  private repairDeps(): RepairDeps {
    const { store, audit, log } = this.deps;
    return { store, audit, log, who: this.who, nowMs: this.now() };
  }

  private remember(loaded: LoadedVersion): void {
    this.recent.delete(loaded.version);
    this.recent.set(loaded.version, loaded);
    if (this.recent.size > RECENT_VERSIONS) this.recent.delete(this.recent.keys().next().value!);
  }

  private refuse(version: string, reason: string): void {
    this.brokenVersion = version;
    this.brokenReason = this.lastError = `cannot load ${version}: ${reason}`;
    this.deps.log.error(
      { datasetVersion: version, reason },
      'active version cannot be loaded; keeping the current tables',
    );
  }

  private async loadOffline(snapshot: Snapshot | null): Promise<void> {
    const { builder, tables, log } = this.deps;
    let source: TableSource = snapshot ? 'snapshot' : 'embedded';
    let loaded: LoadedVersion;
    try {
      if (snapshot?.geography) await builder.geographies.add(snapshot.geography);
      loaded = await builder.load(snapshot ?? this.seed);
    } catch (error) {
      if (!snapshot) throw error;
      // A snapshot that no longer validates (e.g. written before a geography update): fall back to data/.
      log.warn({ err: { message: (error as Error).message } }, 'tables snapshot does not validate; serving data/');
      source = 'embedded';
      loaded = await builder.load(this.seed);
    }
    tables.swap(loaded.table, source, loaded.compileMs, this.now());
    this.current = loaded;
    const serving = source === 'snapshot' ? 'last snapshot' : 'tables in data/';
    log.warn(
      { datasetVersion: loaded.version, source },
      `Redis unreachable at start; serving the ${serving} until it returns`,
    );
  }

  private async subscribe(): Promise<void> {
    try {
      await this.deps.subscriber.subscribe(this.deps.store.keys.changes);
      await this.check(); // a change published while unsubscribed is caught here
    } catch (error) {
      this.noteError(error as Error);
    }
  }

  private noteError(error: Error): void {
    if (this.stopped) return;
    this.lastError = error.message;
    if (this.wasReachable)
      this.deps.log.warn(
        { err: { message: error.message }, datasetVersion: this.current?.version },
        'Redis unreachable; serving the loaded tables and reconnecting',
      );
    this.wasReachable = false;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
