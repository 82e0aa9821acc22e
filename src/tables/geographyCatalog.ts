import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { PackedGeography, type PackedParts } from '../dataset/packedGeography.js';
import { startWorker } from './workerThread.js';
import type { BuiltGeography } from '../geography/buildGeography.js';
import type { GeographyTask } from './geographyWorker.js';
import { GeographyRefused } from '../geography/exchangeTable.js';
import { geographyId, type CatalogEntry, type StoredGeography } from '../geography/geographyVersion.js';
import { NanpaFileError } from '../geography/nanpaReports.js';
import type { AliasTable } from '../geography/rateCenters.js';

export const gzipText = async (text: string): Promise<Buffer> => promisify(gzip)(Buffer.from(text, 'utf8'));
export const gunzipText = async (bytes: Buffer): Promise<string> => (await promisify(gunzip)(bytes)).toString('utf8');

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
    private readonly aliases: AliasTable,
    private readonly fetch: (id: string) => Promise<StoredGeography | null> = async () => null,
  ) {}

  /** The geography with this id (the shipped one when none is named). */
  async get(id: string | undefined): Promise<CatalogEntry> {
    if (id === undefined || id === this.shipped.meta.id) return this.shipped;
    const known = this.entries.get(id);
    if (known) return this.keep(known);
    const stored = await this.fetch(id);
    if (!stored) throw new UnknownGeography(`geography ${id} is not stored`);
    return this.add(stored);
  }

  /** A geography this process was handed (a snapshot, Redis), parsed and packed in a worker thread. */
  async add(stored: StoredGeography): Promise<CatalogEntry> {
    if (geographyId(stored.json) !== stored.meta.id)
      throw new Error(`geography ${stored.meta.id} does not match its content`);
    const { packed } = await inWorker({ task: 'pack', json: stored.json, shipped: this.shipped.packed.parts });
    return this.keep({ ...stored, packed: PackedGeography.fromParts(packed) });
  }

  /**
   * A newer download of NANPA's two reports, built over `baseId` in a worker thread (see
   * buildGeography), and kept for the compiles that name it.
   */
  async build(
    coCodes: Uint8Array,
    npaReport: string,
    baseId: string,
    createdBy: string,
    nowMs: number,
  ): Promise<BuiltGeography> {
    const baseJson = (await this.get(baseId)).json;
    const input = { coCodes, npaReport, baseJson, aliases: this.aliases, createdBy, nowMs };
    const { built, packed } = await inWorker({ task: 'build', input, shipped: this.shipped.packed.parts });
    this.keep({ ...built!.stored, packed: PackedGeography.fromParts(packed) });
    return built!;
  }

  private keep(entry: CatalogEntry): CatalogEntry {
    this.entries.delete(entry.meta.id);
    this.entries.set(entry.meta.id, entry);
    if (this.entries.size > KEPT) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}

type WorkerAnswer =
  | { ok: true; built?: BuiltGeography; packed: PackedParts }
  | { ok: false; refused?: string[]; notNanpa?: string; failed?: string };

function inWorker(task: GeographyTask): Promise<Extract<WorkerAnswer, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const worker = startWorker('geographyWorker');
    worker.once('message', (answer: WorkerAnswer) => {
      void worker.terminate();
      if (answer.ok) resolve(answer);
      else if (answer.refused) reject(new GeographyRefused(answer.refused));
      else if (answer.notNanpa !== undefined) reject(new NanpaFileError(answer.notNanpa));
      else reject(new Error(`building the geography failed: ${answer.failed}`));
    });
    worker.once('error', reject);
    worker.postMessage(task);
  });
}
