import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { parseGeography, type Geography } from './geography.js';
import { parseAffiliatesCsv } from './affiliatesCsv.js';
import { validateDataset, type Dataset } from './validateDataset.js';

const DatasetMetaSchema = z.object({
  name: z.string(),
  sample: z.boolean(),
  description: z.string().optional(),
  affiliatesFile: z.string(),
});

export type EmbeddedData = { geography: Geography; dataset: Dataset; csv: string; version: string };

export async function loadGeography(dataDir: string): Promise<Geography> {
  const [zips, prefixes] = await Promise.all([readJson(join(dataDir, 'zips.json')), readJson(join(dataDir, 'prefixes.json'))]);
  return parseGeography(zips, prefixes);
}

/** The tables shipped in data/: what the service runs on without Redis, and what seeds an empty Redis. */
export async function loadEmbeddedData(dataDir: string): Promise<EmbeddedData> {
  const meta = DatasetMetaSchema.parse(await readJson(join(dataDir, 'dataset.json')));
  const [geography, csv] = await Promise.all([loadGeography(dataDir), readFile(join(dataDir, meta.affiliatesFile), 'utf8')]);
  const table = parseAffiliatesCsv(csv);
  const zips = new Map(geography.zips.map((z) => [z.zip, z]));
  const result = table.ok ? validateDataset({ name: meta.name, markedSample: meta.sample, ...table.table }, zips) : table;
  if (!result.ok) {
    const lines = result.problems.slice(0, 20).map((p) => `row ${p.row ?? '-'} ${p.column ?? ''}: ${p.message}`);
    throw new Error(`${join(dataDir, meta.affiliatesFile)} is not a valid affiliates table:\n${lines.join('\n')}`);
  }
  const version = `${meta.name}-${createHash('sha256').update(csv).digest('hex').slice(0, 12)}`;
  return { geography, dataset: result.dataset, csv, version };
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}
