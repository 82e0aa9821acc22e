/** Table versions for the soak to switch between: the sample with a different center removed from each. */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export type Variant = { name: string; csv: string };

export function tableVariants(count: number, dataDir = 'data'): { variants: Variant[]; nationalPhone: string } {
  const [header, ...rows] = parse(readFileSync(`${dataDir}/affiliates.csv`, 'utf8')) as string[][];
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
