/** Table versions for the soak to switch between: a RAINN-scale table with a different center removed from each. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { loadEmbeddedData } from '../../src/dataset/loadEmbeddedDataset.js';
import { nationalScaleTable } from '../sample/nationalScaleTable.js';

export type Variant = { name: string; csv: string };

/** The shipped sample grown to `centers` (see nationalScaleTable), over data/'s zips and area codes. */
export async function nationalScaleCsv(dataDir = 'data', centers = 1100): Promise<string> {
  const geography = (await loadEmbeddedData(dataDir)).geography.packed.unpack();
  const areaCodes = new Map<string, string[]>();
  for (const p of geography.prefixes) {
    if (p.prefix.length === 3) areaCodes.set(p.state, [...(areaCodes.get(p.state) ?? []), p.prefix]);
  }
  return nationalScaleTable(readFileSync(`${dataDir}/affiliates.csv`, 'utf8'), geography.zips, areaCodes, centers);
}

export async function tableVariants(
  count: number,
  centers: number,
  dataDir = 'data',
): Promise<{ variants: Variant[]; nationalPhone: string }> {
  const [header, ...rows] = parse(await nationalScaleCsv(dataDir, centers)) as string[][];
  const col = (name: string) => header!.indexOf(name);
  const backups = new Set(rows.map((r) => r[col('backupId')]).filter(Boolean));
  // Centers nobody names as a backup can be removed without leaving a backup dangling.
  const removable = rows.filter((r) => r[col('kind')] !== 'national' && !backups.has(r[col('id')]!));
  const national = rows.find((r) => r[col('kind')] === 'national')!;
  const variants = Array.from({ length: count }, (_, i) => {
    const gone = removable[(i * 37) % removable.length]![col('id')];
    return { name: `soak${i + 1}`, csv: stringify([header!, ...rows.filter((r) => r[col('id')] !== gone)]) };
  });
  return { variants, nationalPhone: national[col('phone')]! };
}
