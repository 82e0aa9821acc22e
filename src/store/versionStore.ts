import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './redisKeys.js';
import { GeographyMetaSchema, type StoredGeography } from '../geography/geographyVersion.js';
import { gunzipText, gzipText } from '../tables/geographyCatalog.js';
import { ACTIVATE, RESTORE_ACTIVATION, SAVE, SEED } from './versionScripts.js';

export const VersionMetaSchema = z.object({
  version: z.string(),
  name: z.string(),
  markedSample: z.boolean(),
  sample: z.boolean(),
  /** The exchange geography it compiles over; absent in versions stored before geographies had ids (data/'s). */
  geography: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** seed: first start on an empty Redis; upload: admin API or CLI; restore: re-seeded after Redis came back empty. */
  origin: z.enum(['seed', 'upload', 'restore']),
  centers: z.number().int(),
});
export type VersionMeta = z.infer<typeof VersionMetaSchema>;
export type StoredVersion = { meta: VersionMeta; csv: string };
export type VersionListing = VersionMeta & { active: boolean };
/** Which version was made active, and when in Redis's clock (ms); at 0 when Redis does not say. */
export type ActivationRecord = { version: string; at: number };

/** Immutable dataset versions in Redis, the pointer to the active one, and its bounded history. */
export class VersionStore {
  constructor(
    private readonly redis: Redis,
    readonly keys: RedisKeys,
    private readonly keep = 10,
  ) {}

  /** How many versions Redis keeps before it trims the oldest. */
  get capacity(): number {
    return this.keep;
  }

  /** Stores a version; false when that exact version is already stored. */
  async save(version: StoredVersion): Promise<boolean> {
    const { meta, csv } = version;
    const saved = await this.redis.eval(
      SAVE,
      3,
      this.keys.versions,
      this.keys.active,
      this.keys.version(meta.version),
      meta.version,
      Date.parse(meta.createdAt),
      csv,
      JSON.stringify(meta),
      this.keep,
      this.keys.versionPrefix,
    );
    return saved === 1;
  }

  /** Points every instance at `version`; null when no such version is stored. */
  async activate(version: string): Promise<{ previous: string | null; at: number } | null> {
    const { active, activatedAt, changes } = this.keys;
    const [ok, previous, at] = (await this.redis.eval(
      ACTIVATE,
      3,
      active,
      this.keys.version(version),
      activatedAt,
      version,
      changes,
    )) as [number, string, string];
    return ok === 1 ? { previous: previous || null, at: Number(at) } : null;
  }

  /** The active version and when it was activated; null when Redis has none (first start, or it lost its data). */
  async activation(): Promise<ActivationRecord | null> {
    const [version, at] = await this.redis.mget(this.keys.active, this.keys.activatedAt);
    return version == null ? null : { version, at: Number(at ?? 0) };
  }

  /** Points back at an activation Redis lost, unless Redis holds a later one; true when it did. */
  async restoreActivation(record: ActivationRecord): Promise<boolean> {
    const { active, activatedAt, changes } = this.keys;
    const keys = [active, this.keys.version(record.version), activatedAt];
    return (await this.redis.eval(RESTORE_ACTIVATION, 3, ...keys, record.version, record.at, changes)) === 1;
  }

  /** The stored versions, oldest first. */
  async versionIds(): Promise<string[]> {
    return this.redis.zrange(this.keys.versions, '0', '-1');
  }

  /**
   * Waits up to timeoutMs for the replicas Redis has to hold every write so far (WAIT): an
   * activation then survives a failover. Answers how many replicas there are and how many hold it.
   */
  async replicate(timeoutMs: number): Promise<{ replicas: number; acknowledged: number }> {
    const info = await this.redis.info('replication');
    const replicas = Number(/connected_slaves:(\d+)/.exec(info)?.[1] ?? 0);
    if (replicas === 0) return { replicas, acknowledged: 0 };
    return { replicas, acknowledged: await this.redis.wait(1, timeoutMs) };
  }

  /** Stores and activates `version` only if Redis has no active version; answers the active version either way. */
  async seedIfEmpty(version: StoredVersion): Promise<{ seeded: boolean; active: string }> {
    const { meta, csv } = version;
    const { active: pointer, versions, activatedAt, changes } = this.keys;
    const keys = [pointer, versions, activatedAt, this.keys.version(meta.version)];
    const args = [meta.version, Date.parse(meta.createdAt), csv, JSON.stringify(meta), changes];
    const [seeded, active] = (await this.redis.eval(SEED, 4, ...keys, ...args)) as [number, string];
    return { seeded: seeded === 1, active };
  }

  /**
   * Stores an exchange geography under its id, once: geographies are immutable, and never trimmed
   * (a few hundred kB gzipped each; ops refresh NANPA's files weekly at most).
   */
  async saveGeography(geography: StoredGeography): Promise<boolean> {
    const key = this.keys.geography(geography.meta.id);
    if ((await this.redis.hexists(key, 'json')) === 1) return false;
    const json = await gzipText(geography.json);
    const [[, created] = []] =
      (await this.redis.multi().hsetnx(key, 'meta', JSON.stringify(geography.meta)).hsetnx(key, 'json', json).exec()) ??
      [];
    return created === 1;
  }

  async loadGeography(id: string): Promise<StoredGeography | null> {
    const [meta, json] = await this.redis.hmgetBuffer(this.keys.geography(id), 'meta', 'json');
    if (meta == null || json == null) return null;
    return { meta: GeographyMetaSchema.parse(JSON.parse(meta.toString('utf8'))), json: await gunzipText(json) };
  }

  async activeVersion(): Promise<string | null> {
    return this.redis.get(this.keys.active);
  }

  async load(version: string): Promise<StoredVersion | null> {
    const [csv, meta] = await this.redis.hmget(this.keys.version(version), 'csv', 'meta');
    if (csv == null || meta == null) return null;
    return { csv, meta: VersionMetaSchema.parse(JSON.parse(meta)) };
  }

  /** Newest first, with which one is active. */
  async list(): Promise<VersionListing[]> {
    const [versions, active] = await Promise.all([
      this.redis.zrevrange(this.keys.versions, 0, -1),
      this.activeVersion(),
    ]);
    if (versions.length === 0) return [];
    const metas = await Promise.all(versions.map((v) => this.redis.hget(this.keys.version(v), 'meta')));
    return metas.flatMap((meta) => {
      if (meta === null) return [];
      const parsed = VersionMetaSchema.parse(JSON.parse(meta));
      return [{ ...parsed, active: parsed.version === active }];
    });
  }
}
