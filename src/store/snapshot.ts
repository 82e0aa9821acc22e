import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VersionMetaSchema, type StoredVersion } from './versionStore.js';

const FILE = 'routing-tables.snapshot.json';
const SnapshotSchema = z.object({ meta: VersionMetaSchema, csv: z.string() });

/**
 * The last version this instance loaded from Redis, kept on disk so a restart while Redis is down
 * serves what ops last activated rather than the shipped data/.
 */
export async function writeSnapshot(dir: string, version: StoredVersion): Promise<void> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, FILE);
  // Write then rename: a crash mid-write never leaves a half file where the snapshot was.
  await writeFile(`${path}.tmp`, JSON.stringify(version));
  await rename(`${path}.tmp`, path);
}

/** null when there is no snapshot; throws when one exists but is unreadable. */
export async function readSnapshot(dir: string): Promise<StoredVersion | null> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return SnapshotSchema.parse(JSON.parse(text));
}
