import type KDBush from 'kdbush';
import type { WeeklySchedule } from './hours.js';

export type PolicyName = 'state-first' | 'nearest';

export type RoutingPolicy = {
  name: PolicyName;
  /** state-first: how many in-state centers, nearest first. nearest: how many centers in all. */
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

/** Where a caller is, with the centers ranked for that place once, at compile time. */
export type Placement = {
  state: string;
  precision: 'city' | 'state';
  /** Ranked center indices (the national line is not among them; it is always appended). */
  centers: Uint16Array;
  distancesKm: Float64Array;
};

export type RoutingTable = {
  version: string;
  sample: boolean;
  policy: RoutingPolicy;
  centers: readonly Center[];
  national: Center;
  placements: readonly Placement[];
  /** Placement index by 5-digit zip as a number; -1 when unknown. */
  zipPlacement: Int32Array;
  /** Placement index by the zip's first three digits; -1 when unknown. */
  zip3Placement: Int32Array;
  /** Placement index by prefixKey(length, digits). */
  prefixPlacement: Map<number, number>;
  /** All zip points, for placing a caller by location. */
  zipPoints: KDBush;
  zipPointPlacement: Int32Array;
  stats: { zips: number; zip3s: number; prefixes: number; centers: number };
};

export function prefixKey(length: number, digits: number): number {
  return length * 1e7 + digits;
}
