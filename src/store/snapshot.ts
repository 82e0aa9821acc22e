import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VersionMetaSchema, type StoredVersion } from './versionStore.js';
import { GeographyMetaSchema, type StoredGeography } from '../geography/geographyVersion.js';
import type { HistoryCopy } from './tablesHistory.js';

const FILE = 'routing-tables.snapshot.json';
const StoredVersionSchema = z.object({ meta: VersionMetaSchema, csv: z.string() });
const StoredGeographySchema = z.object({ meta: GeographyMetaSchema, json: z.string() });
const SnapshotSchema = StoredVersionSchema.extend({
  /** The geography the version names, when it is not one shipped in data/. */
  geography: StoredGeographySchema.optional(),
  /** The instance's copy of Redis's history (see TablesHistory); absent in older snapshots. */
  history: z
    .object({
      versions: z.array(StoredVersionSchema),
      geographies: z.array(StoredGeographySchema),
      activation: z.object({ version: z.string(), at: z.number() }).nullable(),
    })
    .optional(),
});

/** The version served, as kept on disk, with its geography when data/ lacks it and the history copy. */
export type Snapshot = StoredVersion & { geography?: StoredGeography | undefined; history?: HistoryCopy | undefined };

/**
 * The last version this instance loaded from Redis, kept on disk so a restart while Redis is down
 * serves what ops last activated rather than the shipped data/, with the history it can put back.
 */
export async function writeSnapshot(dir: string, version: Snapshot): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, FILE);
  // Write then rename: a crash mid-write never leaves a half file where the snapshot was; the
  // temporary name is unique so two writes in flight never interleave in one file.
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  // Flushed to disk before the rename: an activation is acknowledged only once its snapshot is.
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(JSON.stringify(version));
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}

/** null when there is no snapshot; throws when one exists but is unreadable. */
export async function readSnapshot(dir: string): Promise<Snapshot | null> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return SnapshotSchema.parse(JSON.parse(text));
}
