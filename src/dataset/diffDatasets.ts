import { AFFILIATE_COLUMNS, type Affiliate } from './affiliate.js';
import type { Dataset } from './validateDataset.js';
import type { RoutingTable } from '../core/types.js';

export type DatasetDiff = {
  centers: { added: string[]; removed: string[]; changed: Array<{ id: string; fields: string[] }> };
  /** How many places would send a caller to a different first center (before hours and language). */
  firstCenterChanged: { zips: number; zip3s: number; prefixes: number };
};

/** What replacing one dataset (and its compiled table) by another would change. */
export function diffDatasets(
  before: { dataset: Dataset; table: RoutingTable },
  after: { dataset: Dataset; table: RoutingTable },
): DatasetDiff {
  const old = byId(before.dataset);
  const next = byId(after.dataset);
  const added = [...next.keys()].filter((id) => !old.has(id)).sort();
  const removed = [...old.keys()].filter((id) => !next.has(id)).sort();
  const changed = [...next.values()]
    .flatMap((a) => {
      const b = old.get(a.id);
      const fields = b ? changedFields(b, a) : [];
      return fields.length > 0 ? [{ id: a.id, fields }] : [];
    })
    .sort((x, y) => x.id.localeCompare(y.id));
  return { centers: { added, removed, changed }, firstCenterChanged: firstCenterChanges(before.table, after.table) };
}

function byId(dataset: Dataset): Map<string, Affiliate> {
  return new Map([dataset.national, ...dataset.affiliates].map((a) => [a.id, a]));
}

function changedFields(a: Affiliate, b: Affiliate): string[] {
  return AFFILIATE_COLUMNS.filter((column) => show(a[column]) !== show(b[column]));
}

const show = (value: unknown) => (Array.isArray(value) ? value.join(' ') : String(value ?? ''));

function firstCenterChanges(a: RoutingTable, b: RoutingTable): DatasetDiff['firstCenterChanged'] {
  const countArray = (x: Int32Array, y: Int32Array) => {
    let n = 0;
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const px = x[i] ?? -1;
      const py = y[i] ?? -1;
      if ((px >= 0 || py >= 0) && firstCenter(a, px) !== firstCenter(b, py)) n++;
    }
    return n;
  };
  const pa = a.prefixPlacement;
  const pb = b.prefixPlacement;
  let prefixes = countArray(pa.exchanges, pb.exchanges) + countArray(pa.areaCodes, pb.areaCodes);
  for (const key of new Set([...pa.other.keys(), ...pb.other.keys()])) {
    if (firstCenter(a, pa.other.get(key) ?? -1) !== firstCenter(b, pb.other.get(key) ?? -1)) prefixes++;
  }
  return {
    zips: countArray(a.zipPlacement, b.zipPlacement),
    zip3s: countArray(a.zip3Placement, b.zip3Placement),
    prefixes,
  };
}

/** The id a place sends a caller to first; the national line when it has no ranked center or is unknown. */
function firstCenter(table: RoutingTable, placement: number): string {
  if (placement < 0) return '';
  if (table.placements.length[placement] === 0) return table.national.id;
  return table.centers[table.rankedCenters[table.placements.start[placement]!]!]!.id;
}
