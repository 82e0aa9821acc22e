/**
 * A RAINN-scale affiliate table (about 1,100 centers) under the sample rules: the shipped sample's
 * centers plus fictional ones at real zips, spread over the states like the zips are, each with a
 * reserved 555-01XX number on an area code of its state. For soaks and benchmarks, never callers.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ZipPlace } from '../../src/dataset/geography.js';

const km = (a: { lat: number; lon: number }, b: { lat: number; lon: number }) =>
  Math.hypot(a.lat - b.lat, (a.lon - b.lon) * Math.cos((a.lat * Math.PI) / 180)) * 111;

/** `sampleCsv` is data/affiliates.csv; `zips` the shipped zips; `areaCodes` by state. */
export function nationalScaleTable(
  sampleCsv: string,
  zips: readonly ZipPlace[],
  areaCodes: ReadonlyMap<string, readonly string[]>,
  centers = 1100,
): string {
  const [header, ...rows] = parse(sampleCsv) as string[][];
  const col = (name: string) => header!.indexOf(name);
  const sample = rows.filter((r) => r[col('kind')] === 'affiliate');
  const byState = new Map<string, string[][]>();
  for (const r of sample) byState.set(r[col('state')]!, [...(byState.get(r[col('state')]!) ?? []), r]);
  const numbersUsed = new Map<string, number>();
  for (const r of rows) {
    const npa = r[col('phone')]!.slice(2, 5);
    numbersUsed.set(npa, (numbersUsed.get(npa) ?? 0) + 1);
  }
  const phoneIn = (state: string): string => {
    for (const npa of areaCodes.get(state) ?? []) {
      const used = numbersUsed.get(npa) ?? 0;
      if (used >= 100) continue;
      numbersUsed.set(npa, used + 1);
      return `+1${npa}55501${String(used).padStart(2, '0')}`;
    }
    throw new Error(`no 555-01XX number left in ${state}`);
  };
  // Every k-th zip of the states with a sample center, so centers follow where places are.
  const candidates = zips.filter((z) => byState.has(z.state));
  const extra = Math.max(0, centers - sample.length);
  const step = candidates.length / extra;
  const generated: string[][] = [];
  const ids = new Set(rows.map((r) => r[col('id')]));
  for (let i = 0; i < extra; i++) {
    const zip = candidates[Math.floor(i * step)]!;
    const nearest = byState.get(zip.state)!.reduce((best, r) => {
      const at = (x: string[]) => ({ lat: Number(x[col('lat')]), lon: Number(x[col('lon')]) });
      return km(at(r), zip) < km(at(best), zip) ? r : best;
    });
    let id = `${zip.state.toLowerCase()}-z${zip.zip}`;
    while (ids.has(id)) id += 'x';
    ids.add(id);
    const row = header!.map(() => '');
    row[col('id')] = id;
    row[col('kind')] = 'affiliate';
    row[col('name')] = `Sample Center ${zip.city || zip.zip} ${i + 1} (fictional)`;
    row[col('phone')] = phoneIn(zip.state);
    row[col('lat')] = String(zip.lat);
    row[col('lon')] = String(zip.lon);
    row[col('zip')] = zip.zip;
    row[col('state')] = zip.state;
    row[col('timeZone')] = nearest[col('timeZone')]!;
    row[col('hours')] = i % 3 === 0 ? 'Mo-Fr 08:00-20:00; Sa-Su 10:00-16:00' : '24/7';
    row[col('languages')] = nearest[col('languages')]!;
    // A quarter back up to the nearest sample center of their state (whose own backups never point back).
    if (i % 4 === 0) row[col('backupId')] = nearest[col('id')]!;
    generated.push(row);
  }
  return stringify([header!, ...rows, ...generated]);
}
