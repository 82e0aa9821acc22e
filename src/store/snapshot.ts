import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { VersionMetaSchema, type StoredVersion } from './versionStore.js';
import { GeographyMetaSchema, type StoredGeography } from '../geography/geographyVersion.js';

const FILE = 'routing-tables.snapshot.json';
const SnapshotSchema = z.object({
  meta: VersionMetaSchema,
  csv: z.string(),
  /** The geography the version names, when it is not one shipped in data/. */
  geography: z.object({ meta: GeographyMetaSchema, json: z.string() }).optional(),
});

/** A version as kept on disk, with the geography it compiles over when data/ lacks it. */
export type Snapshot = StoredVersion & { geography?: StoredGeography | undefined };

/**
 * The last version this instance loaded from Redis, kept on disk so a restart while Redis is down
 * serves what ops last activated rather than the shipped data/.
 */
export async function writeSnapshot(dir: string, version: Snapshot): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, FILE);
  // Write then rename: a crash mid-write never leaves a half file where the snapshot was; the
  // temporary name is unique so two writes in flight never interleave in one file.
  const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temporary, JSON.stringify(version));
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
