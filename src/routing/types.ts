import type KDBush from 'kdbush';
import type { WeeklySchedule } from './hours.js';

export type PolicyName = 'state-first' | 'nearest';

export type RoutingPolicy = {
  name: PolicyName;
  /** state-first: how many in-state centers, nearest first. nearest: how many nearest centers (after any service-area ones). */
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
};

/** How a caller was placed: by the number's exchange or area code alone, by zip or zip3, or by location. */
export type PlacePrecision = 'exchange' | 'areaCode' | 'zip' | 'zip3' | 'location';

/** Where the caller was placed, for counselors' screens: never more precise than the 6-digit prefix or the zip. */
export type Place = { state: string; name: string; precision: PlacePrecision };

/** What the holder of the caller's exchange says of the line: a prior, since numbers port. */
export type LineType = 'wireless' | 'wireline' | 'unknown';

/**
 * Where a caller is, with the centers ranked for that place once, at compile time: entries
 * [start, start + length) of the table's rankedCenters and rankedTenthsKm.
 * (The national line is not among them; it is always appended.)
 */
export type Placement = {
  place: Place;
  /** For placements of a phone prefix; null for zips. */
  lineType: LineType | null;
  /** A phone placed here is placed by its area code alone: ask for a zip. */
  areaCodeOnly: boolean;
  start: number;
  length: number;
};

export type RoutingTable = {
  version: string;
  sample: boolean;
  policy: RoutingPolicy;
  centers: readonly Center[];
  national: Center;
  placements: readonly Placement[];
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
  /**
   * Placement by 0.01° location cell, filled as callers arrive (bounded). A cell is placed from its
   * center, so the answer depends on the cell alone and the memo never changes an answer.
   */
  locationMemo: Map<number, number>;
  /** Which centers are open in one UTC minute (route.ts openStates), replaced when the minute changes. */
  openMemo: OpenStates;
  stats: { zips: number; zip3s: number; prefixes: number; centers: number };
};

/** centers: 1 where the center at that index is open. */
export type OpenStates = { minute: number; centers: Uint8Array; national: boolean };

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
  return { exchanges: new Int32Array(1_000_000 - FIRST_EXCHANGE).fill(-1), areaCodes: new Int32Array(1000).fill(-1), other: new Map() };
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
