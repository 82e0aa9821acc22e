import { ExchangeFileSchema, type ExchangeFile, type ZipPlace } from '../dataset/geography.js';
import { cityIndexOf } from './cityNames.js';
import { diffGeography, type GeographyDiff } from './diffGeography.js';
import { buildExchangeTable, exchangeTableJson, exchangeTotals, type ExchangeStats } from './exchangeTable.js';
import { geographyId, type GeographyMeta, type StoredGeography } from './geographyVersion.js';
import { parseAreaCodeReport, parseCoCodeZip } from './nanpaReports.js';
import type { AliasTable, LocatedRateCenter } from './rateCenters.js';

/** Everything a geography refresh needs, as plain data (it crosses to a worker thread). */
export type GeographyBuildInput = {
  coCodes: Uint8Array;
  npaReport: string;
  /** The exchanges.json text of the geography it replaces: its rate centers stay where they were. */
  baseJson: string;
  aliases: AliasTable;
  zips: ZipPlace[];
  createdBy: string;
  nowMs: number;
};

/** What a NANPA download would become: the new geography, its report, and what it changes. */
export type BuiltGeography = { stored: StoredGeography; stats: ExchangeStats; diff: GeographyDiff };

/**
 * A newer download of NANPA's two reports, built over the geography it replaces: rate centers that
 * one located stay put, new ones are located by alias, zone or name. Throws NanpaFileError for
 * files that are not NANPA's reports, GeographyRefused for a geography that fails its checks.
 */
export function buildGeography(input: GeographyBuildInput): BuiltGeography {
  const base = ExchangeFileSchema.parse(JSON.parse(input.baseJson));
  const co = parseCoCodeZip(input.coCodes);
  const npa = parseAreaCodeReport(input.npaReport);
  const known = new Map<string, LocatedRateCenter>();
  for (const [state, rateCenter, name, lat, lon] of base.rateCenters.rows) {
    if (lat !== null && lon !== null) known.set(`${state}|${rateCenter}`, { lat, lon, name, how: 'known' });
  }
  const sources = { aliases: input.aliases, cities: cityIndexOf(input.zips), known };
  const { table, stats } = buildExchangeTable(co, npa, sources);
  const json = exchangeTableJson(table);
  const meta: GeographyMeta = {
    id: geographyId(json),
    coCodes: co.fileDate,
    areaCodes: npa.fileDate,
    exchanges: table.exchanges.length,
    atRateCenter: exchangeTotals(stats).rateCenter,
    createdAt: new Date(input.nowMs).toISOString(),
    createdBy: input.createdBy,
    origin: 'upload',
  };
  const tables = (f: ExchangeFile) => ({
    areaCodes: f.areaCodes.rows,
    rateCenters: f.rateCenters.rows,
    exchanges: f.exchanges.rows,
  });
  return { stored: { meta, json }, stats, diff: diffGeography(tables(base), table) };
}
