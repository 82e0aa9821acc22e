import type { FastifyBaseLogger } from 'fastify';
import type { AuditTrail } from './audit.js';
import type { GeographyCatalog } from '../tables/geographyCatalog.js';
import type { TablesHistory } from './tablesHistory.js';
import type { ActivationRecord, StoredVersion, VersionStore } from './versionStore.js';

/** What an instance needs to put Redis's tables right, and how it signs what it did. */
export type RepairDeps = { store: VersionStore; audit: AuditTrail; log: FastifyBaseLogger; who: string; nowMs: number };

/** Redis answered an older activation than this instance saw, or none: it lost data; put it back. */
export async function putBackLostHistory(
  deps: RepairDeps,
  history: TablesHistory,
  found: ActivationRecord | null,
): Promise<ActivationRecord | null> {
  const { store, log, audit } = deps;
  const { versions, activated } = await history.restore();
  const record = await store.activation();
  const detail =
    `Redis answered ${found ? `${found.version} (activated ${found.at})` : 'no active version'}; ` +
    `put back ${versions} version(s)${activated ? ` and the activation of ${record?.version}` : ''}`;
  log.warn(
    { activeVersion: record?.version ?? null, restoredVersions: versions },
    `Redis had lost tables history: ${detail}`,
  );
  const entry = { who: deps.who, action: 'restore' as const, version: record?.version ?? null, outcome: 'ok' as const };
  await audit.record({ ...entry, detail }, log, deps.nowMs);
  return record;
}

/**
 * Redis without a pointer and no history to put back (first start, or restarted empty before this
 * instance saw anything): seed it with what this instance serves, or data/'s tables.
 */
export async function seedEmptyRedis(
  deps: RepairDeps,
  geographies: GeographyCatalog,
  source: StoredVersion & { meta: { origin: 'seed' | 'restore' } },
): Promise<string> {
  const geography = await geographies.get(source.meta.geography);
  await deps.store.saveGeography({ meta: geography.meta, json: geography.json });
  const meta = { ...source.meta, createdAt: new Date(deps.nowMs).toISOString(), createdBy: deps.who };
  const { seeded, active } = await deps.store.seedIfEmpty({ ...source, meta });
  if (seeded) {
    const entry = { who: deps.who, action: source.meta.origin, version: active, outcome: 'ok' as const };
    await deps.audit.record({ ...entry, detail: 'Redis had no active version' }, deps.log, deps.nowMs);
  }
  return active;
}
