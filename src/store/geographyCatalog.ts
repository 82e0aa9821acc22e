import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { ExchangeFileSchema, exchangePrefixes, type ExchangeFile, type ZipPlace } from '../dataset/geography.js';
import { PackedGeography } from '../dataset/packedGeography.js';
import { cityIndexOf } from '../geography/cityNames.js';
import { diffGeography, type GeographyDiff } from '../geography/diffGeography.js';
import { buildExchangeTable, exchangeTableJson, exchangeTotals, type ExchangeStats } from '../geography/exchangeTable.js';
import { geographyId, type GeographyMeta, type StoredGeography } from '../geography/geographyVersion.js';
import { parseAreaCodeReport, parseCoCodeZip } from '../geography/nanpaReports.js';
import type { AliasTable, LocatedRateCenter } from '../geography/rateCenters.js';

export const gzipText = async (text: string): Promise<Buffer> => promisify(gzip)(Buffer.from(text, 'utf8'));
export const gunzipText = async (bytes: Buffer): Promise<string> => (await promisify(gunzip)(bytes)).toString('utf8');

/** A geography ready to compile with: its file and its places, packed. */
export type CatalogEntry = { meta: GeographyMeta; json: string; packed: PackedGeography };

/** What a NANPA download would become: the new geography, its report, and what it changes. */
export type BuiltGeography = { stored: StoredGeography; stats: ExchangeStats; diff: GeographyDiff };

/** A geography named by a version that neither this process nor Redis holds. */
export class UnknownGeography extends Error {}

/** How many geographies besides the shipped one a process keeps parsed (the served one and the one before). */
const KEPT = 2;

/**
 * The exchange geographies this process can compile with: the one shipped in data/, and those ops
 * loaded, fetched from Redis by id when a version names one. Zips are always the shipped ones.
 */
export class GeographyCatalog {
  private readonly entries = new Map<string, CatalogEntry>();

  constructor(
    readonly shipped: CatalogEntry,
    private readonly zips: () => ZipPlace[],
    private readonly aliases: AliasTable,
    private readonly fetch: (id: string) => Promise<StoredGeography | null> = async () => null,
  ) {}

  static entry(stored: StoredGeography, zips: ZipPlace[]): CatalogEntry {
    return { ...stored, packed: PackedGeography.pack({ zips, prefixes: exchangePrefixes(parseExchangeFile(stored.json)) }) };
  }

  /** The geography with this id (the shipped one when none is named). */
  async get(id: string | undefined): Promise<CatalogEntry> {
    if (id === undefined || id === this.shipped.meta.id) return this.shipped;
    const known = this.entries.get(id);
    if (known) return this.keep(known);
    const stored = await this.fetch(id);
    if (!stored) throw new UnknownGeography(`geography ${id} is not stored`);
    return this.add(stored);
  }

  /** A geography this process was handed (a snapshot, an upload), kept for the compiles that name it. */
  add(stored: StoredGeography): CatalogEntry {
    if (geographyId(stored.json) !== stored.meta.id) throw new Error(`geography ${stored.meta.id} does not match its content`);
    return this.keep(GeographyCatalog.entry(stored, this.zips()));
  }

  /**
   * A newer download of NANPA's two reports, built over `baseId`: rate centers it located stay where
   * they were, new ones are located by alias, zone or name. Throws NanpaFileError or GeographyRefused.
   */
  async build(coCodeZip: Uint8Array, areaCodeCsv: string, baseId: string, createdBy: string, nowMs: number): Promise<BuiltGeography> {
    const base = parseExchangeFile((await this.get(baseId)).json);
    const co = parseCoCodeZip(coCodeZip);
    const npa = parseAreaCodeReport(areaCodeCsv);
    const known = new Map<string, LocatedRateCenter>();
    for (const [state, rateCenter, name, lat, lon] of base.rateCenters.rows) {
      if (lat !== null && lon !== null) known.set(`${state}|${rateCenter}`, { lat, lon, name, how: 'known' });
    }
    const { table, stats } = buildExchangeTable(co, npa, { aliases: this.aliases, cities: cityIndexOf(this.zips()), known });
    const json = exchangeTableJson(table);
    const totals = exchangeTotals(stats);
    const meta: GeographyMeta = {
      id: geographyId(json),
      coCodes: co.fileDate,
      areaCodes: npa.fileDate,
      exchanges: table.exchanges.length,
      atRateCenter: totals.rateCenter,
      createdAt: new Date(nowMs).toISOString(),
      createdBy,
      origin: 'upload',
    };
    const tables = (f: ExchangeFile) => ({ areaCodes: f.areaCodes.rows, rateCenters: f.rateCenters.rows, exchanges: f.exchanges.rows });
    return { stored: { meta, json }, stats, diff: diffGeography(tables(base), table) };
  }

  private keep(entry: CatalogEntry): CatalogEntry {
    this.entries.delete(entry.meta.id);
    this.entries.set(entry.meta.id, entry);
    if (this.entries.size > KEPT) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

function parseExchangeFile(json: string): ExchangeFile {
  return ExchangeFileSchema.parse(JSON.parse(json));
}

/** The shipped geography's metadata, from its file. */
export function shippedGeographyMeta(json: string, file: ExchangeFile): GeographyMeta {
  const located = new Set(file.rateCenters.rows.flatMap((r, i) => (r[3] === null ? [] : [i])));
  return {
    id: geographyId(json),
    coCodes: file.source.coCodes,
    areaCodes: file.source.areaCodes,
    exchanges: file.exchanges.rows.length,
    atRateCenter: file.exchanges.rows.filter((e) => located.has(e[1])).length,
    createdAt: new Date(0).toISOString(),
    createdBy: 'data/',
    origin: 'shipped',
  };
}
