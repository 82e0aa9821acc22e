import type KDBush from 'kdbush';
import type { WeeklySchedule } from './hours.js';

export type PolicyName = 'state-first' | 'nearest';

export type RoutingPolicy = {
  name: PolicyName;
  /** state-first: in-state centers, nearest first. nearest: nearest centers (after any service-area ones). */
  nearbyLimit: number;
  /** state-first only: how many out-of-state centers follow the in-state ones. */
  othersLimit: number;
};

export const DEFAULT_POLICY: RoutingPolicy = { name: 'state-first', nearbyLimit: 5, othersLimit: 3 };

export type Center = {
  index: number;
  id: string;
  kind: 'affiliate' | 'national';
  name: string;
  phone: string;
  state: string | null;
  lat: number | null;
  lon: number | null;
  timeZone: string;
  hours: string;
  schedule: WeeklySchedule;
  languages: readonly string[];
  backupIndex: number;
  /** Voice legs to this center carry a whisper and connect only on a key (the affiliate table's `screened`). */
  screened: boolean;
};

/** How a caller was placed: by the number's exchange or area code alone, by zip or zip3, or by location. */
export type PlacePrecision = 'exchange' | 'areaCode' | 'zip' | 'zip3' | 'location';

/** Where the caller was placed, for counselors' screens: never more precise than the 6-digit prefix or the zip. */
export type Place = { state: string; name: string; precision: PlacePrecision };

/** What the holder of the caller's exchange says of the line: a prior, since numbers port. */
export type LineType = 'wireless' | 'wireline' | 'unknown';

export const PRECISIONS: readonly PlacePrecision[] = ['exchange', 'areaCode', 'zip', 'zip3', 'location'];
/** Line types by their code in Placements.lineType; 0 for placements of zips. */
export const LINE_TYPES: readonly (LineType | null)[] = [null, 'wireless', 'wireline', 'unknown'];

/**
 * Where callers are, with the centers ranked for each place once, at compile time: placement p is
 * entry p of every column, and ranks entries [start, start + length) of the table's rankedCenters
 * and rankedTenthsKm (the national line is not among them; it is always appended). Columns rather
 * than an object per placement: a table moves between threads as a handful of arrays.
 */
export type Placements = {
  /** The place's state and name, as indexes into the table's texts. */
  state: Uint32Array;
  name: Uint32Array;
  /** Index into PRECISIONS. */
  precision: Uint8Array;
  /** Index into LINE_TYPES: what the holder of a phone prefix says of the line. */
  lineType: Uint8Array;
  /** 1 where a phone is placed by its area code alone: ask for a zip. */
  areaCodeOnly: Uint8Array;
  start: Uint32Array;
  length: Uint32Array;
};

export type RoutingTable = {
  version: string;
  sample: boolean;
  policy: RoutingPolicy;
  centers: readonly Center[];
  national: Center;
  /** The distinct state and place names placements refer to. */
  texts: readonly string[];
  placements: Placements;
  /** All rankings packed end to end: far fewer objects than an array per place. */
  rankedCenters: Uint16Array;
  /** Distance to each ranked center in tenths of a km, so answers print exact decimals. */
  rankedTenthsKm: Uint32Array;
  /** Placement index by 5-digit zip as a number; -1 when unknown. */
  zipPlacement: Int32Array;
  /** Placement index by the zip's first three digits; -1 when unknown. */
  zip3Placement: Int32Array;
  /** Placement index by phone prefix (see prefixPlacementOf). */
  prefixPlacement: PrefixPlacements;
  /** All zip points, for placing a caller by location. */
  zipPoints: KDBush;
  zipPointPlacement: Int32Array;
  stats: { zips: number; zip3s: number; prefixes: number; centers: number };
};

export function prefixKey(length: number, digits: number): number {
  return length * 1e7 + digits;
}

/**
 * Placement indexes of phone prefixes, -1 where unknown: arrays for the ~200 000 exchanges (by NPA-NXX
 * minus 200000) and the area codes, where a Map of that size costs more to build than the rest of
 * the compile; other lengths, which only centers' service areas name, by prefixKey.
 */
export type PrefixPlacements = { exchanges: Int32Array; areaCodes: Int32Array; other: Map<number, number> };

export const FIRST_EXCHANGE = 200_000;

export function emptyPrefixPlacements(): PrefixPlacements {
  return {
    exchanges: new Int32Array(1_000_000 - FIRST_EXCHANGE).fill(-1),
    areaCodes: new Int32Array(1000).fill(-1),
    other: new Map(),
  };
}

export function prefixPlacementOf(p: PrefixPlacements, length: number, digits: number): number {
  if (length === 6) return digits >= FIRST_EXCHANGE ? (p.exchanges[digits - FIRST_EXCHANGE] ?? -1) : -1;
  if (length === 3) return p.areaCodes[digits] ?? -1;
  return p.other.get(prefixKey(length, digits)) ?? -1;
}

export function setPrefixPlacement(p: PrefixPlacements, length: number, digits: number, placement: number): void {
  if (length === 6) p.exchanges[digits - FIRST_EXCHANGE] = placement;
  else if (length === 3) p.areaCodes[digits] = placement;
  else p.other.set(prefixKey(length, digits), placement);
}

/** Where placement p places a caller. */
export function placeOf(table: Pick<RoutingTable, 'texts' | 'placements'>, p: number): Place {
  const { placements, texts } = table;
  return {
    state: texts[placements.state[p]!]!,
    name: texts[placements.name[p]!]!,
    precision: PRECISIONS[placements.precision[p]!]!,
  };
}
