import type { StoredGeography } from '../geography/geographyVersion.js';
import type { ActivationRecord, StoredVersion, VersionStore } from './versionStore.js';

/** What an instance keeps of Redis's tables, in memory and in its snapshot. */
export type HistoryCopy = {
  versions: StoredVersion[];
  geographies: StoredGeography[];
  activation: ActivationRecord | null;
};

/**
 * This instance's copy of the tables history in Redis: every stored version, the geographies they
 * name, and the latest activation it has seen. When Redis comes back having lost some of it (an
 * empty restart, a wipe, a failover to a replica that lagged, an fsync that never happened), the
 * copy puts it back, so rollback still works and an acknowledged activation is not reverted.
 */
export class TablesHistory {
  private versions = new Map<string, StoredVersion>();
  private geographies = new Map<string, StoredGeography>();
  private latest: ActivationRecord | null = null;

  constructor(
    private readonly store: VersionStore,
    /** Geographies that need no copy: the one shipped in data/. */
    private readonly shippedGeography: string,
  ) {}

  get activation(): ActivationRecord | null {
    return this.latest;
  }

  get size(): number {
    return this.versions.size;
  }

  /** An activation this instance saw or made; the latest one counts. */
  note(record: ActivationRecord): void {
    if (!this.latest || record.at > this.latest.at) this.latest = record;
  }

  /** A version this instance activated, kept before the next mirror of Redis would fetch it. */
  async keep(version: StoredVersion): Promise<void> {
    await this.keepGeography(version.meta.geography);
    this.versions.set(version.meta.version, version);
  }

  /** Whether Redis, answering `record` (null: no pointer at all), has lost an activation this copy holds. */
  lostBy(record: ActivationRecord | null): boolean {
    return this.latest !== null && (record === null || record.at < this.latest.at);
  }

  /**
   * Mirrors Redis's versions: adds new ones, drops trimmed ones, and puts back lost ones (Redis
   * trims only beyond its capacity, so one missing from a shorter list was lost). True on a change.
   */
  async follow(): Promise<boolean> {
    const ids = await this.store.versionIds();
    const trimmed = ids.length >= this.store.capacity;
    let changed = false;
    for (const [id, version] of this.versions) {
      if (ids.includes(id)) continue;
      if (trimmed) {
        changed = this.versions.delete(id);
        continue;
      }
      const geography = this.geographies.get(version.meta.geography ?? '');
      if (geography) await this.store.saveGeography(geography);
      await this.store.save(version);
    }
    for (const id of ids) {
      if (this.versions.has(id)) continue;
      const stored = await this.store.load(id);
      if (!stored) continue;
      await this.keepGeography(stored.meta.geography);
      this.versions.set(id, stored);
      changed = true;
    }
    for (const id of [...this.geographies.keys()]) {
      if (![...this.versions.values()].some((v) => v.meta.geography === id)) this.geographies.delete(id);
    }
    return changed;
  }

  /** Puts back what Redis lost: every version (oldest first), their geographies, then the activation. */
  async restore(): Promise<{ versions: number; activated: boolean }> {
    for (const geography of this.geographies.values()) await this.store.saveGeography(geography);
    const oldestFirst = [...this.versions.values()].sort(
      (a, b) => Date.parse(a.meta.createdAt) - Date.parse(b.meta.createdAt),
    );
    let versions = 0;
    for (const version of oldestFirst) if (await this.store.save(version)) versions++;
    const activated = this.latest !== null && (await this.store.restoreActivation(this.latest));
    return { versions, activated };
  }

  copy(): HistoryCopy {
    return {
      versions: [...this.versions.values()],
      geographies: [...this.geographies.values()],
      activation: this.latest,
    };
  }

  /** The copy a snapshot kept, for an instance that starts while Redis is away. */
  adopt(copy: Partial<HistoryCopy>): void {
    for (const version of copy.versions ?? []) this.versions.set(version.meta.version, version);
    for (const geography of copy.geographies ?? []) this.geographies.set(geography.meta.id, geography);
    if (copy.activation) this.note(copy.activation);
  }

  private async keepGeography(id: string | undefined): Promise<void> {
    if (id === undefined || id === this.shippedGeography || this.geographies.has(id)) return;
    const geography = await this.store.loadGeography(id);
    if (geography) this.geographies.set(id, geography);
  }
}
