// NANPA's two public reports, read from their bytes as NANPA publishes them (provenance in data/README.md).
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
  inService: boolean;
  geographic: boolean;
}

export type CoCodeReport = { codes: CoCode[]; fileDate: string };
export type AreaCodeReport = { codes: AreaCode[]; fileDate: string };

/** A report that is not what NANPA publishes: the message says what was expected. */
export class NanpaFileError extends Error {}

/** The zipped, tab-separated, Latin-1 central office code report; only codes in use (`AS`). */
export function parseCoCodeZip(bytes: Uint8Array): CoCodeReport {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch {
    throw new NanpaFileError('the central office code file is not a zip archive (NANPA publishes it zipped)');
  }
  const names = Object.keys(entries).filter((n) => n.toLowerCase().endsWith('.txt'));
  if (names.length !== 1)
    throw new NanpaFileError(`the central office code zip must hold one .txt file, not ${names.length}`);
  return parseCoCodeText(Buffer.from(entries[names[0]!]!).toString('latin1'));
}

export function parseCoCodeText(text: string): CoCodeReport {
  const lines = text.split(/\r?\n/);
  const header = lines[0]!.split('\t').map((h) => h.trim());
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0)
      throw new NanpaFileError(`the central office code file has no ${name} column (columns: ${header.join(', ')})`);
    return i;
  };
  const at = { state: col('State'), exchange: col('NPA-NXX'), company: col('Company'), rc: col('RateCenter') };
  const use = col('Use');
  const inService = col('In Service');
  const fileDate = /File Updated (\d\d\/\d\d\/\d{4})/.exec(lines[0]!)?.[1] ?? 'unknown';
  const codes: CoCode[] = [];
  for (const [i, line] of lines.slice(1).entries()) {
    if (line.trim() === '') continue;
    const f = line.split('\t').map((v) => v.trim());
    if (f[use] !== 'AS') continue;
    const exchange = (f[at.exchange] ?? '').replace('-', '');
    if (!/^[2-9]\d\d[2-9]\d\d$/.test(exchange))
      throw new NanpaFileError(`line ${i + 2}: NPA-NXX "${f[at.exchange]}" is not one`);
    codes.push({
      state: f[at.state]!,
      exchange,
      company: f[at.company]!.replace(/^"|"$/g, ''),
      rateCenter: f[at.rc]!,
      inService: f[inService] !== 'No',
    });
  }
  return { codes, fileDate };
}

/** Every area code; the first line is "File Date,MM/DD/YYYY", the header is on line 2. */
export function parseAreaCodeReport(text: string): AreaCodeReport {
  const firstBreak = text.indexOf('\n');
  const fileDate = /File Date,([\d/]+)/.exec(text.slice(0, firstBreak))?.[1];
  if (!fileDate)
    throw new NanpaFileError('the area code report must start with "File Date,MM/DD/YYYY" as NANPA\'s does');
  let records: Record<string, string>[];
  try {
    records = parse(text.slice(firstBreak + 1), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (error) {
    throw new NanpaFileError(`the area code report is not CSV: ${(error as Error).message}`);
  }
  if (!records[0] || !('NPA_ID' in records[0]) || !('LOCATION' in records[0])) {
    throw new NanpaFileError('the area code report has no NPA_ID and LOCATION columns');
  }
  const codes = records.map((r) => ({
    npa: r.NPA_ID!,
    // NANPA writes the Northern Mariana Islands as CNMI; USPS as MP.
    state: r.COUNTRY === 'US' ? (r.LOCATION === 'CNMI' ? 'MP' : (r.LOCATION ?? '')) : '',
    inService: r.IN_SERVICE === 'Y',
    geographic: r.type_of_code === 'General Purpose Code' && r.USE === 'G',
  }));
  return { codes, fileDate };
}
