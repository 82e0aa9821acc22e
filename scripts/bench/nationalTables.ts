/** RAINN-scale tables (1,100 fictional centers) and the admin calls that upload and activate them. */
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { nationalScaleCsv } from '../soak/variants.js';

/** Where the Redis peers (redisPeer.ts) find the answer for a request path. */
export const PEER_KEY = (path: string) => `bench:peer:${path}`;

/** 1,100-center tables that differ in one center's hours each, so every activation is a real swap. */
export async function nationalVersions(count: number): Promise<string[]> {
  const csv = await nationalScaleCsv();
  return Array.from({ length: count }, (_, k) => {
    let seen = -1;
    return csv.replace(/,24\/7,en,,,,\n/g, (cell) => (++seen === k ? ',Mo-Su 06:00-23:00,en,,,,\n' : cell));
  });
}

/** The fields of an upload's answer the benchmarks print. */
export type AdminAnswer = { version: string; centers: number; compileMs: number };

export async function admin(
  port: number,
  token: string,
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: AdminAnswer }> {
  const res = await fetch(`http://127.0.0.1:${port}/v1/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'text/csv' } : {}) },
    body,
  });
  return { status: res.status, json: (await res.json()) as AdminAnswer };
}

/** Stores a table as a new version (and activates it when asked); a refusal stops the benchmark. */
export async function upload(port: number, token: string, csv: string, activate: boolean): Promise<AdminAnswer> {
  const query = `?sample=true&name=national-scale${activate ? '&activate=true' : ''}`;
  const up = await admin(port, token, 'POST', `/datasets${query}`, csv);
  if (up.status >= 300) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.json).slice(0, 300)}`);
  return up.json;
}

/** data/ with its affiliates table replaced by `csv`, for the embedded service and bench-core (DATA_DIR). */
export function dataDirWith(csv: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-data-'));
  for (const name of ['zips.json', 'exchanges.json', 'dataset.json', 'sources'])
    symlinkSync(resolve('data', name), join(dir, name));
  writeFileSync(join(dir, 'affiliates.csv'), csv);
  return dir;
}
