/**
 * Every key the service keeps in Redis. The braces are a Redis Cluster hash tag: all keys land in
 * one slot, so the activation script and MULTI blocks may touch several of them at once.
 */
export type RedisKeys = {
  /** String: the version every instance should serve. */
  active: string;
  /** String: when `active` was last set, in Redis's clock (ms); tells instances Redis lost an activation. */
  activatedAt: string;
  /** Sorted set: version -> createdAt (ms); the bounded history, oldest trimmed first. */
  versions: string;
  /** Prefix of the per-version hashes (fields csv, meta); the script appends the version. */
  versionPrefix: string;
  version(version: string): string;
  /** Hash per exchange geography (fields meta, json: the exchanges.json text, gzipped), by its id. */
  geography(id: string): string;
  /** List of audit entries (JSON), newest first, capped. */
  audit: string;
  /** Pub/sub channel: the new active version, published when the pointer moves. */
  changes: string;
};

export const DEFAULT_NAMESPACE = 'crisis-route';

export function redisKeys(namespace: string = DEFAULT_NAMESPACE): RedisKeys {
  const base = `{${namespace}}`;
  const versionPrefix = `${base}:tables:version:`;
  return {
    active: `${base}:tables:active`,
    activatedAt: `${base}:tables:activatedAt`,
    versions: `${base}:tables:versions`,
    versionPrefix,
    version: (version) => `${versionPrefix}${version}`,
    geography: (id) => `${base}:geography:${id}`,
    audit: `${base}:audit`,
    changes: `${base}:tables:changes`,
  };
}
