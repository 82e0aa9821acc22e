import { around } from 'geokdbush';
import { classifyAreaCode } from './areaCode.js';
import { isOpenAt } from './hours.js';
import { parsePhone, prefix6 } from './phone.js';
import type { TimeZoneClock } from './timeZoneClock.js';
import {
  LINE_TYPES,
  placeOf,
  prefixPlacementOf,
  type Center,
  type LineType,
  type Place,
  type RoutingTable,
} from './types.js';

export type RouteQuery =
  | { kind: 'phone'; phone: string; lang?: string | undefined }
  | { kind: 'zip'; zip: string; lang?: string | undefined }
  | { kind: 'location'; lat: number; lon: number; lang?: string | undefined };

export type Method = 'prefix' | 'zip' | 'zip3' | 'location' | 'none';
export type NeedsZipReason =
  | 'withheld'
  | 'tollFree'
  | 'nonGeographic'
  | 'serviceCode'
  | 'outsideUS'
  | 'outsideNanp'
  | 'areaCodeOnly'
  | 'outsideCoverage'
  | 'militaryZip';

export type Destination = {
  id: string;
  kind: 'affiliate' | 'national';
  name: string;
  phone: string;
  state: string | null;
  distanceKm: number | null;
  open: boolean;
  hours: string;
  timeZone: string;
  languages: readonly string[];
};

export type RouteDecision = {
  /** Ranked centers, open before closed and the caller's language first, then the national line. */
  destinations: Destination[];
  method: Method;
  prefixLength: number | null;
  needsZip: boolean;
  reason: NeedsZipReason | 'unknownZip' | null;
  /** Where the caller was placed; null when nothing placed them. */
  place: Place | null;
  /** For phone queries: what the exchange's holder says of the line; null for zips and locations. */
  lineType: LineType | null;
  datasetVersion: string;
  /** At most the caller's NPA-NXX, for logs and metrics only; never part of an answer. */
  callerPrefix: string | null;
};

/**
 * A caller whose number is held by a wireless carrier and placed by its exchange may be far from
 * that exchange: worth offering a zip, where an area-code-only caller is asked for one anyway.
 */
export function mayBeAwayFromExchange(decision: Pick<RouteDecision, 'lineType' | 'place'>): boolean {
  return decision.lineType === 'wireless' && decision.place?.precision === 'exchange';
}

export type RouteFailure = { kind: 'invalid'; field: 'phone'; message: string };

export type RouteClock = { nowMs: number; zones: TimeZoneClock };

/** Whether each of a table's centers is open (1) at one instant: by center index, the national line last. */
export type OpenCenters = Uint8Array;

/** Open states change at most once a minute: the shell keeps one of these per table and minute. */
export function openCentersAt(table: RoutingTable, clock: RouteClock): OpenCenters {
  const open = new Uint8Array(table.centers.length + 1);
  table.centers.forEach((center, i) => (open[i] = isOpen(center, clock) ? 1 : 0));
  open[table.centers.length] = isOpen(table.national, clock) ? 1 : 0;
  return open;
}

/** How far a caller's location may be from the nearest zip point and still count as placed. */
const LOCATION_MATCH_KM = 150;

export function route(table: RoutingTable, query: RouteQuery, open: OpenCenters): RouteDecision | RouteFailure {
  switch (query.kind) {
    case 'phone':
      return routePhone(table, query.phone, query.lang, open);
    case 'zip':
      return routeZip(table, query.zip, query.lang, open);
    case 'location': {
      const p =
        Number.isFinite(query.lat) && Number.isFinite(query.lon) ? placeLocation(table, query.lat, query.lon) : -1;
      if (p < 0) return nationalOnly(table, open, 'none', true, 'outsideCoverage', null, null);
      return answer(table, p, 'location', null, query.lang, open, null);
    }
  }
}

/** The placement of the nearest zip point within LOCATION_MATCH_KM of the location, or -1. */
function placeLocation(table: RoutingTable, lat: number, lon: number): number {
  const nearest = around(table.zipPoints, lon, lat, 1, LOCATION_MATCH_KM);
  return nearest.length > 0 ? table.zipPointPlacement[nearest[0]!]! : -1;
}

/** APO/FPO zips (AE 09xxx, AA 340xx, AP 962xx-966xx): the caller is with the forces overseas, not at a place here. */
function isMilitaryZip(zip5: number): boolean {
  const zip3 = Math.floor(zip5 / 100);
  return (zip3 >= 90 && zip3 <= 99) || zip3 === 340 || (zip3 >= 962 && zip3 <= 966);
}

function routeZip(table: RoutingTable, zip: string, lang: string | undefined, open: OpenCenters): RouteDecision {
  const zip5 = Number(zip.slice(0, 5));
  if (isMilitaryZip(zip5)) return nationalOnly(table, open, 'none', true, 'militaryZip', null, null);
  const p = table.zipPlacement[zip5]!;
  if (p >= 0) return answer(table, p, 'zip', null, lang, open, null);
  const p3 = table.zip3Placement[Math.floor(zip5 / 100)]!;
  if (p3 >= 0) return answer(table, p3, 'zip3', null, lang, open, null);
  return nationalOnly(table, open, 'none', false, 'unknownZip', null, null);
}

function routePhone(
  table: RoutingTable,
  phone: string,
  lang: string | undefined,
  open: OpenCenters,
): RouteDecision | RouteFailure {
  const parsed = parsePhone(phone);
  if (parsed.kind === 'invalid') return { kind: 'invalid', field: 'phone', message: parsed.message };
  if (parsed.kind === 'withheld') return nationalOnly(table, open, 'none', true, 'withheld', null, 'unknown');
  if (parsed.kind === 'outsideNanp') return nationalOnly(table, open, 'none', true, 'outsideNanp', null, 'unknown');

  const national = parsed.national;
  const callerPrefix = prefix6(national);
  const npa = Math.floor(national / 1e7);
  const areaCodeClass = classifyAreaCode(npa);
  if (areaCodeClass !== 'geographic')
    return nationalOnly(table, open, 'none', true, areaCodeClass, callerPrefix, 'unknown');

  let divisor = 1000; // 10 digits -> 7-digit prefix
  for (let length = 7; length >= 3; length--, divisor *= 10) {
    const p = prefixPlacementOf(table.prefixPlacement, length, Math.floor(national / divisor));
    if (p >= 0) return answer(table, p, 'prefix', length, lang, open, callerPrefix);
  }
  return nationalOnly(table, open, 'none', true, 'outsideUS', callerPrefix, 'unknown');
}

/** Candidates in compiled rank order, re-ordered per query: open before closed, then the caller's language first. */
function answer(
  table: RoutingTable,
  p: number,
  method: Method,
  prefixLength: number | null,
  lang: string | undefined,
  open: OpenCenters,
  callerPrefix: string | null,
): RouteDecision {
  const { placements } = table;
  // A phone placed only by its area code is somewhere in a state: the state's centers, and ask for a zip.
  const stateOnly = method === 'prefix' && placements.areaCodeOnly[p] === 1;
  const placed = placeOf(table, p);
  return {
    destinations: rankedDestinations(table, placements.start[p]!, placements.length[p]!, lang, open),
    method,
    prefixLength,
    needsZip: stateOnly,
    reason: stateOnly ? 'areaCodeOnly' : null,
    place: method === 'location' ? { ...placed, precision: 'location' } : placed,
    lineType: method === 'prefix' ? LINE_TYPES[placements.lineType[p]!]! : null,
    datasetVersion: table.version,
    callerPrefix,
  };
}

/**
 * Entries [start, start + length) of the table's rankings as destinations, in answer order, then the
 * national line: open before closed, the caller's language first, and within those the compiled rank.
 */
function rankedDestinations(
  table: RoutingTable,
  start: number,
  length: number,
  lang: string | undefined,
  open: OpenCenters,
): Destination[] {
  const destinations: Destination[] = [];
  const end = start + length;
  // One pass per group in answer order; usually the first holds them all.
  for (let group = 0; group < 4 && destinations.length < length; group++) {
    for (let i = start; i < end; i++) {
      const index = table.rankedCenters[i]!;
      const center = table.centers[index]!;
      const isOpen = open[index] === 1;
      if ((isOpen ? 0 : 2) + (lang === undefined || center.languages.includes(lang) ? 0 : 1) !== group) continue;
      destinations.push(destination(center, table.rankedTenthsKm[i]! / 10, isOpen));
    }
  }
  destinations.push(nationalDestination(table, open));
  return destinations;
}

function nationalDestination(table: RoutingTable, open: OpenCenters): Destination {
  return destination(table.national, null, open[table.centers.length] === 1);
}

function nationalOnly(
  table: RoutingTable,
  open: OpenCenters,
  method: Method,
  needsZip: boolean,
  reason: RouteDecision['reason'],
  callerPrefix: string | null,
  lineType: LineType | null,
): RouteDecision {
  return {
    destinations: [nationalDestination(table, open)],
    method,
    prefixLength: null,
    needsZip,
    reason,
    place: null,
    lineType,
    datasetVersion: table.version,
    callerPrefix,
  };
}

function isOpen(center: Center, clock: RouteClock): boolean {
  return center.schedule === null || isOpenAt(center.schedule, clock.zones.minuteOfWeek(center.timeZone, clock.nowMs));
}

export function destination(center: Center, distanceKm: number | null, open: boolean): Destination {
  return {
    id: center.id,
    kind: center.kind,
    name: center.name,
    phone: center.phone,
    state: center.state,
    distanceKm,
    open,
    hours: center.hours,
    timeZone: center.timeZone,
    languages: center.languages,
  };
}

/** When routing itself fails: still a usable answer, the national line (shown open: it must be dialled). */
export function nationalLineOnly(table: RoutingTable): Destination {
  return destination(table.national, null, true);
}
