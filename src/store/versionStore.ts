import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { RedisKeys } from './redisKeys.js';
import { GeographyMetaSchema, type StoredGeography } from '../geography/geographyVersion.js';
import { gunzipText, gzipText } from './geographyCatalog.js';

export const VersionMetaSchema = z.object({
  version: z.string(),
  name: z.string(),
  markedSample: z.boolean(),
  sample: z.boolean(),
  /** The exchange geography it compiles over; absent in versions stored before geographies had ids (the shipped one). */
  geography: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** seed: first start on an empty Redis; upload: the admin API or CLI; restore: re-seeded after Redis came back empty. */
  origin: z.enum(['seed', 'upload', 'restore']),
  centers: z.number().int(),
});
export type VersionMeta = z.infer<typeof VersionMetaSchema>;
export type StoredVersion = { meta: VersionMeta; csv: string };
export type VersionListing = VersionMeta & { active: boolean };

// Trims the oldest versions beyond `keep`, never the active one, in the same atomic step as the save.
const SAVE = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('HSET', KEYS[3], 'csv', ARGV[3], 'meta', ARGV[4])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local keep = tonumber(ARGV[5])
local count = redis.call('ZCARD', KEYS[1])
if count > keep then
  local active = redis.call('GET', KEYS[2])
  for _, v in ipairs(redis.call('ZRANGE', KEYS[1], 0, count - keep - 1)) do
    if v ~= active and v ~= ARGV[1] then
      redis.call('ZREM', KEYS[1], v)
      redis.call('DEL', ARGV[6] .. v)
    end
  end
end
return 1`;

// Moving the pointer and telling every instance is one atomic step: two activations cannot interleave.
const ACTIVATE = `
if redis.call('EXISTS', KEYS[2]) == 0 then return {0, ''} end
local previous = redis.call('GET', KEYS[1]) or ''
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[2], ARGV[1])
return {1, previous}`;

// Only an empty Redis (no pointer) is seeded; whoever gets there first wins, the rest follow.
const SEED = `
local current = redis.call('GET', KEYS[1])
if current then return {0, current} end
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('HSET', KEYS[3], 'csv', ARGV[3], 'meta', ARGV[4])
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('PUBLISH', ARGV[5], ARGV[1])
return {1, ARGV[1]}`;

/** Immutable dataset versions in Redis, the pointer to the active one, and its bounded history. */
export class VersionStore {
  constructor(
    private readonly redis: Redis,
    readonly keys: RedisKeys,
    private readonly keep = 10,
  ) {}

  /** Stores a version; false when that exact version is already stored. */
  async save(version: StoredVersion): Promise<boolean> {
    const { meta, csv } = version;
    const saved = await this.redis.eval(SAVE, 3, this.keys.versions, this.keys.active, this.keys.version(meta.version), meta.version, Date.parse(meta.createdAt), csv, JSON.stringify(meta), this.keep, this.keys.versionPrefix);
    return saved === 1;
  }

  /** Points every instance at `version`; null when no such version is stored. */
  async activate(version: string): Promise<{ previous: string | null } | null> {
    const [ok, previous] = (await this.redis.eval(ACTIVATE, 2, this.keys.active, this.keys.version(version), version, this.keys.changes)) as [number, string];
    return ok === 1 ? { previous: previous || null } : null;
  }

  /** Stores and activates `version` only if Redis has no active version; answers the active version either way. */
  async seedIfEmpty(version: StoredVersion): Promise<{ seeded: boolean; active: string }> {
    const { meta, csv } = version;
    const [seeded, active] = (await this.redis.eval(SEED, 3, this.keys.active, this.keys.versions, this.keys.version(meta.version), meta.version, Date.parse(meta.createdAt), csv, JSON.stringify(meta), this.keys.changes)) as [number, string];
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
    const [[, created] = []] = (await this.redis.multi().hsetnx(key, 'meta', JSON.stringify(geography.meta)).hsetnx(key, 'json', json).exec()) ?? [];
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
    const [versions, active] = await Promise.all([this.redis.zrevrange(this.keys.versions, 0, -1), this.activeVersion()]);
    if (versions.length === 0) return [];
    const metas = await Promise.all(versions.map((v) => this.redis.hget(this.keys.version(v), 'meta')));
    return metas.flatMap((meta) => {
      if (meta === null) return [];
      const parsed = VersionMetaSchema.parse(JSON.parse(meta));
      return [{ ...parsed, active: parsed.version === active }];
    });
  }
}
