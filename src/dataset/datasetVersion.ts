import { createHash } from 'node:crypto';
import { serializeAffiliatesCsv } from './affiliatesCsv.js';
import type { Dataset } from './validateDataset.js';

export const DATASET_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const DATASET_NAME_RULE = 'name must be 1-40 lowercase letters, digits, dash or underscore';
/** A version as it appears in URLs and Redis keys: the dataset name and 12 hex digits of its content. */
export const VERSION_PATTERN = '^[a-z0-9][a-z0-9_-]{0,39}-[0-9a-f]{12}$';

/** The table in the upload format, national line first: what is stored and exported. */
export function canonicalCsv(dataset: Dataset): string {
  return serializeAffiliatesCsv([dataset.national, ...dataset.affiliates]);
}

/**
 * Versions are named by content, as data/ is: the same table over the same geography under the same
 * name is the same version on every instance and after any reload, so uploading it twice stores it once.
 */
export function datasetVersion(name: string, csv: string, geography: string): string {
  return `${name}-${createHash('sha256').update(csv).update(`\n${geography}`).digest('hex').slice(0, 12)}`;
}
