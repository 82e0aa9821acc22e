import type { RoutingTable } from '../core/types.js';

export type SampleGuardSettings = { nodeEnv: string; allowSampleInProduction: boolean };

/**
 * Whether a table may answer callers here. A sample dataset (fictional centers) never serves in
 * production unless ALLOW_SAMPLE_DATA_IN_PRODUCTION says so. Every path that puts a table in
 * service (start-up, reloads from Redis, snapshots) goes through this one check, via CurrentTable.
 */
export function sampleRefusal(
  table: Pick<RoutingTable, 'sample' | 'version'>,
  settings: SampleGuardSettings,
): string | null {
  if (!table.sample || settings.nodeEnv !== 'production' || settings.allowSampleInProduction) return null;
  return (
    `refusing to serve dataset ${table.version}: it is marked sample (fictional centers and numbers) ` +
    'and NODE_ENV=production; load real data, ' +
    'or set ALLOW_SAMPLE_DATA_IN_PRODUCTION=true for a non-public test deployment'
  );
}

export class SampleDataRefused extends Error {
  override readonly name = 'SampleDataRefused';
}

/** The admission check CurrentTable runs before every swap. */
export function sampleGuard(settings: SampleGuardSettings): (table: RoutingTable) => void {
  return (table) => {
    const refusal = sampleRefusal(table, settings);
    if (refusal) throw new SampleDataRefused(refusal);
  };
}
