import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { CurrentTable, TableSwap } from '../../src/tables/currentTable.js';
import { loadConfig } from '../../src/config.js';
import { startService, type Service } from '../../src/startService.js';
import { LogCapture, checkedAgainstContract, shippedData } from './app.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const OPS_TOKEN = 'test-ops-token-abcdefghijklm';

export type Instance = Service & { logs: LogCapture; inject: Service['app']['inject'] };

/** One service instance on a Redis, as server.ts composes it, with its logs captured. */
export async function startInstance(
  redisUrl: string,
  options: { namespace?: string; env?: Record<string, string>; connectTimeoutMs?: number } = {},
): Promise<Instance> {
  const config = loadConfig({
    REDIS_URL: redisUrl,
    ADMIN_TOKEN: `ops:${ADMIN_TOKEN},alice:${OPS_TOKEN}`,
    TABLES_RECHECK_MS: '500',
    LOG_LEVEL: 'info',
    ...options.env,
  });
  const logs = new LogCapture();
  const service = await startService(config, {
    ...(config.DATA_DIR === 'data' ? { embedded: await shippedData() } : {}),
    logStream: logs,
    redisNamespace: options.namespace,
    redisConnectTimeoutMs: options.connectTimeoutMs ?? 2000,
  });
  const app = checkedAgainstContract(service.app);
  return { ...service, logs, inject: app.inject.bind(app) };
}

export const sampleCsv = (): string => readFileSync('data/affiliates.csv', 'utf8');

/** A table as an export writes it: every column, the optional screened one (empty: the default) included. */
export function withEveryColumn(csv: string): string {
  return csv.replace(/^(.+)$/gm, (line, _row, at) => (at === 0 ? `${line},screened` : `${line},`));
}

/** The sample table with one center's cells replaced (by column name). */
export function editCenter(csv: string, id: string, changes: Record<string, string>): string {
  const [header, ...rows] = parse(csv) as string[][];
  return stringify([
    header!,
    ...rows.map((row) => (row[0] === id ? row.map((cell, i) => changes[header![i]!] ?? cell) : row)),
  ]);
}

export function removeCenter(csv: string, id: string): string {
  const [header, ...rows] = parse(csv) as string[][];
  return stringify([header!, ...rows.filter((row) => row[0] !== id)]);
}

export const auth = (token = ADMIN_TOKEN) => ({ authorization: `Bearer ${token}` });

/** Resolves once `condition` holds, checking on every swap-sized tick; rejects after `ms`. */
export async function eventually(condition: () => Promise<boolean> | boolean, ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await condition()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The next swap of these tables, or a rejection after `ms`. */
export function nextSwap(tables: CurrentTable, ms: number): Promise<TableSwap> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no table swap within ${ms} ms`)), ms);
    tables.onSwap((swap) => {
      clearTimeout(timer);
      resolve(swap);
    });
  });
}

/** Resolves once `instance` serves `version` (at once if it already does); rejects after `ms`. */
export function servingVersion(tables: CurrentTable, version: string, ms: number): Promise<void> {
  if (tables.table?.version === version) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`not serving ${version} within ${ms} ms (serving ${tables.table?.version})`)),
      ms,
    );
    tables.onSwap((swap) => {
      if (swap.table.version !== version) return;
      clearTimeout(timer);
      resolve();
    });
  });
}
