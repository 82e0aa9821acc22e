import type { Redis } from 'ioredis';

export type Persistence = 'aof' | 'rdb' | 'none' | 'unknown';
/** Why the tables in Redis could be lost: a restart without an append-only file, or keys evicted. */
export type KeysAtRisk = 'no_persistence' | 'eviction_policy';
export const KEYS_AT_RISK: readonly KeysAtRisk[] = ['no_persistence', 'eviction_policy'];

export type Durability = {
  persistence: Persistence;
  /** maxmemory-policy, or 'unknown' when Redis will not say. */
  evictionPolicy: string;
  atRisk: boolean;
  risks: KeysAtRisk[];
  /** Whether Redis is at its maxmemory with noeviction: every write is refused. */
  memoryFull: boolean;
};

/**
 * Reads how Redis keeps its keys. A managed Redis may refuse CONFIG or INFO: what it refuses is
 * 'unknown', not a fault. A timeout or a lost connection rejects (nothing can be said).
 */
export async function readDurability(redis: Redis): Promise<Durability> {
  const [persistence, memory, save] = await Promise.all([
    refusedAsNull(redis.info('persistence')),
    refusedAsNull(redis.info('memory')),
    refusedAsNull(redis.config('GET', 'save') as Promise<unknown>),
  ]);
  const aof = persistence === null ? null : infoField(persistence, 'aof_enabled') === '1';
  const saveRules = Array.isArray(save) && typeof save[1] === 'string' ? save[1].trim() : null;
  const mode: Persistence = aof ? 'aof' : saveRules === null ? 'unknown' : saveRules === '' ? 'none' : 'rdb';
  const evictionPolicy = (memory && infoField(memory, 'maxmemory_policy')) ?? 'unknown';
  const risks: KeysAtRisk[] = [];
  if (mode === 'none' || mode === 'rdb') risks.push('no_persistence');
  if (evictionPolicy !== 'noeviction' && evictionPolicy !== 'unknown') risks.push('eviction_policy');
  const used = Number(memory && infoField(memory, 'used_memory'));
  const max = Number(memory && infoField(memory, 'maxmemory'));
  const memoryFull = evictionPolicy === 'noeviction' && max > 0 && used >= max;
  return { persistence: mode, evictionPolicy, atRisk: risks.length > 0, risks, memoryFull };
}

/** One sentence for the log: what is at risk and what to change. */
export function describeRisks(durability: Durability): string {
  const parts: string[] = [];
  if (durability.risks.includes('no_persistence')) {
    const what = durability.persistence === 'rdb' ? 'only RDB snapshots' : 'no persistence';
    parts.push(`${what}: a restart loses recent table versions or all (set appendonly yes)`);
  }
  if (durability.risks.includes('eviction_policy')) {
    parts.push(`maxmemory-policy ${durability.evictionPolicy} may evict the tables (set noeviction)`);
  }
  return parts.join('; ');
}

function infoField(info: string, name: string): string | null {
  return new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? null;
}

/** A reply error (unknown or forbidden command) means "will not say"; anything else is thrown on. */
async function refusedAsNull<T>(reply: Promise<T>): Promise<T | null> {
  try {
    return await reply;
  } catch (error) {
    if ((error as Error).name === 'ReplyError') return null;
    throw error;
  }
}
