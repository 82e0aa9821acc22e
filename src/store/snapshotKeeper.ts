import type { FastifyBaseLogger } from 'fastify';
import type { StoredGeography } from '../geography/geographyVersion.js';
import type { GeographyCatalog } from '../tables/geographyCatalog.js';
import { readSnapshot, writeSnapshot, type Snapshot } from './snapshot.js';
import type { HistoryCopy } from './tablesHistory.js';
import type { StoredVersion } from './versionStore.js';

/** An instance's snapshot on disk: read once at start, written after every change, one write at a time. */
export class SnapshotKeeper {
  private writes: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string | undefined,
    private readonly geographies: GeographyCatalog,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** null without a snapshot directory, a snapshot, or a readable one. */
  async read(): Promise<Snapshot | null> {
    if (!this.dir) return null;
    return readSnapshot(this.dir).catch((error: Error) => {
      this.log.warn({ err: { message: error.message } }, 'tables snapshot unreadable');
      return null;
    });
  }

  /** Resolves once written (to disk, flushed); rejects if it could not be, after logging it. */
  save(served: StoredVersion, history: HistoryCopy): Promise<void> {
    const dir = this.dir;
    if (!dir) return Promise.resolve();
    const write = this.writes.then(async () => {
      const geography = await this.unshipped(served.meta.geography);
      await writeSnapshot(dir, { meta: served.meta, csv: served.csv, geography, history });
    });
    this.writes = write.catch((error: Error) => {
      this.log.warn({ err: { message: error.message } }, 'could not write the tables snapshot');
    });
    return write;
  }

  /** Resolves once every write asked for so far is done. */
  flushed(): Promise<void> {
    return this.writes;
  }

  /** The geography a version names, when data/ does not ship it (a snapshot must carry it). */
  private async unshipped(id: string | undefined): Promise<StoredGeography | undefined> {
    if (id === undefined || id === this.geographies.shipped.meta.id) return undefined;
    const { meta, json } = await this.geographies.get(id);
    return { meta, json };
  }
}
