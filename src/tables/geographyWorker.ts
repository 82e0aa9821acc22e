// A worker thread's entry: the geography work that takes a second or more of CPU (building one from
// NANPA's files, parsing and packing a stored one), off the event loop that answers callers.
// Errors cross back as plain data; the caller rebuilds their classes.
import { parentPort } from 'node:worker_threads';
import { ExchangeFileSchema, exchangePrefixes } from '../dataset/geography.js';
import { PackedGeography, type PackedParts } from '../dataset/packedGeography.js';
import { buildGeography, type GeographyBuildInput } from '../geography/buildGeography.js';
import { GeographyRefused } from '../geography/exchangeTable.js';
import { NanpaFileError } from '../geography/nanpaReports.js';

export type GeographyTask =
  | { task: 'build'; input: Omit<GeographyBuildInput, 'zips'>; shipped: PackedParts }
  | { task: 'pack'; json: string; shipped: PackedParts };

/** A geography's places, packed over the shipped zips. */
function pack(json: string, shipped: PackedParts): PackedParts {
  const { zips, counties } = PackedGeography.fromParts(shipped).unpack();
  const prefixes = exchangePrefixes(ExchangeFileSchema.parse(JSON.parse(json)));
  return PackedGeography.pack(counties ? { zips, prefixes, counties } : { zips, prefixes }).parts;
}

parentPort!.once('message', (job: GeographyTask) => {
  try {
    if (job.task === 'pack') {
      parentPort!.postMessage({ ok: true, packed: pack(job.json, job.shipped) });
      return;
    }
    const zips = PackedGeography.fromParts(job.shipped).unpack().zips;
    const built = buildGeography({ ...job.input, zips });
    parentPort!.postMessage({ ok: true, built, packed: pack(built.stored.json, job.shipped) });
  } catch (error) {
    if (error instanceof GeographyRefused) parentPort!.postMessage({ ok: false, refused: error.reasons });
    else if (error instanceof NanpaFileError) parentPort!.postMessage({ ok: false, notNanpa: error.message });
    else parentPort!.postMessage({ ok: false, failed: (error as Error).stack ?? String(error) });
  }
});
