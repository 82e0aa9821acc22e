// Small shared helpers for the data build. Everything here must be
// deterministic: no clocks, no Math.random, stable sorting only.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** CommonJS loader for data-only packages that ship no ESM/types. */
export const requireCjs = createRequire(import.meta.url);

export interface Point {
  lat: number;
  lon: number;
}

/** Round to `digits` decimals; never returns -0 (it would print as "-0" in CSV). */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Arithmetic mean of points (fine for the small areas we average: a city, a state). */
export function meanPoint(points: readonly Point[]): Point {
  if (points.length === 0) throw new Error('meanPoint of nothing');
  let lat = 0;
  let lon = 0;
  for (const p of points) {
    lat += p.lat;
    lon += p.lon;
  }
  return { lat: lat / points.length, lon: lon / points.length };
}

/** Great-circle distance in km (only used for "nearest" choices, so precision is moot). */
export function distanceKm(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * 32-bit FNV-1a. Used instead of Math.random so that every "random" choice
 * in the sample table is a pure function of the center id (stable output).
 */
export function hash(...parts: string[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Deterministic percentage bucket 0..99 for (id, purpose). */
export function bucket(id: string, purpose: string): number {
  return hash(id, purpose) % 100;
}

export { cityKey } from '../../src/geography/cityNames.js';

/** "New York" -> "new-york" (ids). */
export function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** String compare that does not depend on the process locale. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Columnar JSON table, one row per line: compact like a CSV, but still a
 * single JSON document, and diffs between rebuilds stay readable.
 */
export function tableJson(columns: readonly string[], rows: readonly unknown[][]): string {
  return (
    '{"columns":' + JSON.stringify(columns) + ',"rows":[\n' + rows.map((r) => JSON.stringify(r)).join(',\n') + '\n]}\n'
  );
}

export interface PackageInfo {
  name: string;
  version: string;
  license: string;
  homepage: string;
}

/**
 * Root folder of an installed package. Some packages have an "exports" map
 * that hides package.json and data files from require.resolve, so walk up
 * from the entry point instead.
 */
export function packageDir(name: string): string {
  let dir: string;
  try {
    dir = dirname(requireCjs.resolve(name));
  } catch {
    // A data-only package without an entry point (us-atlas) still resolves its package.json.
    dir = dirname(requireCjs.resolve(`${name}/package.json`));
  }
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === name) {
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find package root of ${name}`);
    dir = up;
  }
}

/** Name/version/licence of an installed package, for the README provenance section. */
export function packageInfo(name: string): PackageInfo {
  const path = join(packageDir(name), 'package.json');
  const pkg = JSON.parse(readFileSync(path, 'utf8')) as {
    version: string;
    license?: string;
    homepage?: string;
    repository?: string | { url?: string };
  };
  const repo = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
  return {
    name,
    version: pkg.version,
    license: pkg.license ?? 'UNKNOWN',
    homepage: pkg.homepage ?? repo,
  };
}
