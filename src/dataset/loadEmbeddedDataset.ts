import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ExchangeFileSchema, exchangePrefixes, parseGeography, parseZips, type Geography } from './geography.js';
import { PackedGeography } from './packedGeography.js';
import { parseAliases, type AliasTable } from '../geography/rateCenters.js';
import { shippedGeographyMeta, type CatalogEntry } from '../geography/geographyVersion.js';
import { readUpload } from './readUpload.js';
import { prepareDataset, type PreparedDataset } from './prepareDataset.js';

const DatasetMetaSchema = z.object({
  name: z.string(),
  sample: z.boolean(),
  description: z.string().optional(),
  affiliatesFile: z.string(),
});

/**
 * data/ as the service uses it: the geography, packed (the place objects parsed from the files are
 * garbage once this returns), the reviewed rate-center aliases a geography refresh locates new rate
 * centers with, and the affiliates table validated and named like any upload.
 */
export type EmbeddedData = { geography: CatalogEntry; aliases: AliasTable; prepared: PreparedDataset };

export async function loadGeography(dataDir: string): Promise<Geography> {
  const [zips, exchanges] = await Promise.all([
    readJson(join(dataDir, 'zips.json')),
    readJson(join(dataDir, 'exchanges.json')),
  ]);
  return parseGeography(zips, exchanges);
}

/** The tables shipped in data/: what the service runs on without Redis, and what seeds an empty Redis. */
export async function loadEmbeddedData(dataDir: string): Promise<EmbeddedData> {
  const meta = DatasetMetaSchema.parse(await readJson(join(dataDir, 'dataset.json')));
  const [zips, json, aliases, csv] = await Promise.all([
    readJson(join(dataDir, 'zips.json')),
    readFile(join(dataDir, 'exchanges.json'), 'utf8'),
    readFile(join(dataDir, 'sources', 'rate-center-aliases.csv'), 'utf8'),
    readFile(join(dataDir, meta.affiliatesFile), 'utf8'),
  ]);
  const file = ExchangeFileSchema.parse(JSON.parse(json));
  const packed = PackedGeography.pack({ ...parseZips(zips), prefixes: exchangePrefixes(file) });
  const geography: CatalogEntry = { meta: shippedGeographyMeta(json, file), json, packed };
  const options = { name: meta.name, markedSample: meta.sample, geography: geography.meta.id };
  const result = prepareDataset(readUpload(csv, 'csv'), options, packed.zips);
  if (!result.ok) {
    const lines = result.problems.slice(0, 20).map((p) => `row ${p.row ?? '-'} ${p.column ?? ''}: ${p.message}`);
    throw new Error(`${join(dataDir, meta.affiliatesFile)} is not a valid affiliates table:\n${lines.join('\n')}`);
  }
  return { geography, aliases: parseAliases(aliases), prepared: result.prepared };
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}
