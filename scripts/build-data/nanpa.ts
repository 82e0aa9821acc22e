// Readers for NANPA's two public reports, copied into data/sources/nanpa/ (provenance in data/README.md).
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';

/** One assigned central office code (NPA-NXX) from NANPA's CoCodeAssignment file. */
export interface CoCode {
  state: string;
  /** Six digits, "916445". */
  exchange: string;
  company: string;
  rateCenter: string;
  inService: boolean;
}

/** One area code from NANPA's npa_report.csv. */
export interface AreaCode {
  npa: string;
  /** USPS code for US states and territories; "" otherwise. */
  state: string;
  country: string;
  inService: boolean;
  geographic: boolean;
}

/** The central office codes in use (`AS`) from the zipped, tab-separated, Latin-1 report. */
export function readCoCodes(zipFile: string): { codes: CoCode[]; fileDate: string; unavailable: number } {
  const entries = unzipSync(readFileSync(zipFile));
  const names = Object.keys(entries).filter((n) => n.toLowerCase().endsWith('.txt'));
  if (names.length !== 1) throw new Error(`${zipFile}: expected one .txt inside, found ${names.join(', ') || 'none'}`);
  const text = Buffer.from(entries[names[0]!]!).toString('latin1');
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split('\t').map((h) => h.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`${zipFile}: no column ${name} in ${header.join('|')}`);
    return i;
  };
  const at = { state: col('State'), exchange: col('NPA-NXX'), company: col('Company'), rc: col('RateCenter') };
  const use = col('Use');
  const inService = col('In Service');
  const fileDate = /File Updated (\d\d\/\d\d\/\d{4})/.exec(lines[0]!)?.[1] ?? 'unknown';
  const codes: CoCode[] = [];
  let unavailable = 0;
  for (const line of lines.slice(1)) {
    if (line.trim() === '') continue;
    const f = line.split('\t').map((v) => v.trim());
    if (f[use] !== 'AS') {
      unavailable++;
      continue;
    }
    const exchange = f[at.exchange]!.replace('-', '');
    if (!/^[2-9]\d\d[2-9]\d\d$/.test(exchange)) throw new Error(`${zipFile}: bad NPA-NXX ${f[at.exchange]}`);
    codes.push({
      state: f[at.state]!,
      exchange,
      company: f[at.company]!.replace(/^"|"$/g, ''),
      rateCenter: f[at.rc]!,
      inService: f[inService] !== 'No',
    });
  }
  return { codes, fileDate, unavailable };
}

/** Every area code; the first line is "File Date,MM/DD/YYYY", the header is on line 2. */
export function readAreaCodes(csvFile: string): { codes: AreaCode[]; fileDate: string } {
  const text = readFileSync(csvFile, 'utf8');
  const firstBreak = text.indexOf('\n');
  const fileDate = /File Date,([\d/]+)/.exec(text.slice(0, firstBreak))?.[1] ?? 'unknown';
  const records = parse(text.slice(firstBreak + 1), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const codes = records.map((r) => ({
    npa: r.NPA_ID!,
    // NANPA writes the Northern Mariana Islands as CNMI; USPS as MP.
    state: r.COUNTRY === 'US' ? (r.LOCATION === 'CNMI' ? 'MP' : (r.LOCATION ?? '')) : '',
    country: r.COUNTRY ?? '',
    inService: r.IN_SERVICE === 'Y',
    geographic: r.type_of_code === 'General Purpose Code' && r.USE === 'G',
  }));
  return { codes, fileDate };
}
