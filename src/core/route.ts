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
  type OpenStates,
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
  /**
   * What, besides method, prefixLength and lang, this answer is a function of within its table:
   * the placement and which of its centers were open (bit i: the i-th ranked center, the bit
   * above them: the national line). Lets the HTTP layer reuse an answer's text. Null for answers
   * that are not from a placement, or with more centers than the mask holds.
   */
  variant: AnswerVariant | null;
  /** The national line comes first: no center serves this caller. For logs and metrics; read without ranking. */
  nationalFirst: boolean;
};

export type AnswerVariant = { placement: number; openMask: number };

/** Ranked centers a variant's open mask describes (one more bit for the national line); placements rank ~10. */
export const MASKABLE = 24;

/**
 * A caller whose number is held by a wireless carrier and placed by its exchange may be far from
 * that exchange: worth offering a zip, where an area-code-only caller is asked for one anyway.
 */
export function mayBeAwayFromExchange(decision: Pick<RouteDecision, 'lineType' | 'place'>): boolean {
  return decision.lineType === 'wireless' && decision.place?.precision === 'exchange';
}

export type RouteFailure = { kind: 'invalid'; field: 'phone'; message: string };

export type RouteClock = { nowMs: number; zones: TimeZoneClock };

/** How far a caller's location may be from the nearest zip point and still count as placed. */
const LOCATION_MATCH_KM = 150;

export function route(table: RoutingTable, query: RouteQuery, clock: RouteClock): RouteDecision | RouteFailure {
  switch (query.kind) {
    case 'phone':
      return routePhone(table, query.phone, query.lang, clock);
    case 'zip':
      return routeZip(table, query.zip, query.lang, clock);
    case 'location': {
      const p =
        Number.isFinite(query.lat) && Number.isFinite(query.lon) ? placeLocation(table, query.lat, query.lon) : -1;
      if (p < 0) return nationalOnly(table, clock, 'none', true, 'outsideCoverage', null, null);
      return answer(table, p, 'location', null, query.lang, clock, null);
    }
  }
}

const LOCATION_MEMO_LIMIT = 200_000;

/** The placement of the nearest zip to the 0.01° cell (about 1 km) holding the location, or -1. */
function placeLocation(table: RoutingTable, lat: number, lon: number): number {
  const row = Math.round(lat * 100);
  const col = Math.round(lon * 100);
  const key = (row + 9000) * 36001 + (col + 18000);
  const memo = table.locationMemo.get(key);
  if (memo !== undefined) return memo;
  const nearest = around(table.zipPoints, col / 100, row / 100, 1, LOCATION_MATCH_KM);
  const p = nearest.length > 0 ? table.zipPointPlacement[nearest[0]!]! : -1;
  if (table.locationMemo.size >= LOCATION_MEMO_LIMIT) table.locationMemo.clear();
  table.locationMemo.set(key, p);
  return p;
}

/** APO/FPO zips (AE 09xxx, AA 340xx, AP 962xx-966xx): the caller is with the forces overseas, not at a place here. */
function isMilitaryZip(zip5: number): boolean {
  const zip3 = Math.floor(zip5 / 100);
  return (zip3 >= 90 && zip3 <= 99) || zip3 === 340 || (zip3 >= 962 && zip3 <= 966);
}

function routeZip(table: RoutingTable, zip: string, lang: string | undefined, clock: RouteClock): RouteDecision {
  const zip5 = Number(zip.slice(0, 5));
  if (isMilitaryZip(zip5)) return nationalOnly(table, clock, 'none', true, 'militaryZip', null, null);
  const p = table.zipPlacement[zip5]!;
  if (p >= 0) return answer(table, p, 'zip', null, lang, clock, null);
  const p3 = table.zip3Placement[Math.floor(zip5 / 100)]!;
  if (p3 >= 0) return answer(table, p3, 'zip3', null, lang, clock, null);
  return nationalOnly(table, clock, 'none', false, 'unknownZip', null, null);
}

function routePhone(
  table: RoutingTable,
  phone: string,
  lang: string | undefined,
  clock: RouteClock,
): RouteDecision | RouteFailure {
  const parsed = parsePhone(phone);
  if (parsed.kind === 'invalid') return { kind: 'invalid', field: 'phone', message: parsed.message };
  if (parsed.kind === 'withheld') return nationalOnly(table, clock, 'none', true, 'withheld', null, 'unknown');
  if (parsed.kind === 'outsideNanp') return nationalOnly(table, clock, 'none', true, 'outsideNanp', null, 'unknown');

  const national = parsed.national;
  const callerPrefix = prefix6(national);
  const npa = Math.floor(national / 1e7);
  const areaCodeClass = classifyAreaCode(npa);
  if (areaCodeClass !== 'geographic')
    return nationalOnly(table, clock, 'none', true, areaCodeClass, callerPrefix, 'unknown');

  let divisor = 1000; // 10 digits -> 7-digit prefix
  for (let length = 7; length >= 3; length--, divisor *= 10) {
    const p = prefixPlacementOf(table.prefixPlacement, length, Math.floor(national / divisor));
    if (p >= 0) return answer(table, p, 'prefix', length, lang, clock, callerPrefix);
  }
  return nationalOnly(table, clock, 'none', true, 'outsideUS', callerPrefix, 'unknown');
}

/**
 * Candidates in compiled rank order, re-ordered per query: open before closed, then the caller's
 * language first. The order and the destinations are worked out only when read (PlacedDecision):
 * a caller of route() that already holds this variant's answer text never needs them.
 */
function answer(
  table: RoutingTable,
  p: number,
  method: Method,
  prefixLength: number | null,
  lang: string | undefined,
  clock: RouteClock,
  callerPrefix: string | null,
): RouteDecision {
  const { placements } = table;
  const start = placements.start[p]!;
  const n = placements.length[p]!;
  const open = openStates(table, clock);
  let variant: AnswerVariant | null = null;
  if (n < MASKABLE) {
    let openMask = open.national ? 1 << n : 0;
    for (let i = 0; i < n; i++) if (open.centers[table.rankedCenters[start + i]!] === 1) openMask |= 1 << i;
    variant = { placement: p, openMask };
  }
  // A phone placed only by its area code is somewhere in a state: the state's centers, and ask for a zip.
  const stateOnly = method === 'prefix' && placements.areaCodeOnly[p] === 1;
  const reason = stateOnly ? 'areaCodeOnly' : null;
  const placed = placeOf(table, p);
  const place = method === 'location' ? { ...placed, precision: 'location' as const } : placed;
  const lineType = method === 'prefix' ? LINE_TYPES[placements.lineType[p]!]! : null;
  const facts = { method, prefixLength, needsZip: stateOnly, reason, place, lineType, callerPrefix, variant } as const;
  return new PlacedDecision(table, { start, length: n }, open, lang, facts);
}

/** A placement's entries in the table's rankedCenters and rankedTenthsKm: [start, start + length). */
type RankedSpan = { readonly start: number; readonly length: number };

/**
 * An answer's centers as the table holds them: positions in the placement's ranking (entries
 * start + position of rankedCenters and rankedTenthsKm), in the order the answer lists them, and
 * the open states that order came from. The national line follows them. Destinations are made
 * from it; a writer that needs only the table's numbers can read it instead.
 */
export type Ranking = { readonly start: number; readonly order: readonly number[]; readonly open: OpenStates };

/** The ranking behind a decision made from a placement; null for any other decision. */
export function rankingOf(decision: RouteDecision): Ranking | null {
  return decision instanceof PlacedDecision ? decision.ranking : null;
}

type PlacedFacts = Pick<
  RouteDecision,
  'method' | 'prefixLength' | 'needsZip' | 'reason' | 'place' | 'lineType' | 'callerPrefix' | 'variant'
>;

/** A decision from a placement, its centers ordered on first read. Reads as a plain RouteDecision. */
class PlacedDecision implements RouteDecision {
  // Private fields: out of sight of JSON, spreads and test comparisons, which see toJSON().
  readonly #table: RoutingTable;
  readonly #span: RankedSpan;
  readonly #open: OpenStates;
  readonly #lang: string | undefined;
  #ranking: Ranking | undefined;
  #destinations: Destination[] | undefined;
  readonly datasetVersion: string;
  readonly nationalFirst: boolean;

  readonly method: Method;
  readonly prefixLength: number | null;
  readonly needsZip: boolean;
  readonly reason: RouteDecision['reason'];
  readonly place: Place | null;
  readonly lineType: LineType | null;
  readonly callerPrefix: string | null;
  readonly variant: AnswerVariant | null;

  constructor(table: RoutingTable, span: RankedSpan, open: OpenStates, lang: string | undefined, facts: PlacedFacts) {
    this.method = facts.method;
    this.prefixLength = facts.prefixLength;
    this.needsZip = facts.needsZip;
    this.reason = facts.reason;
    this.place = facts.place;
    this.lineType = facts.lineType;
    this.callerPrefix = facts.callerPrefix;
    this.variant = facts.variant;
    this.#table = table;
    this.#span = span;
    this.#open = open;
    this.#lang = lang;
    this.datasetVersion = table.version;
    this.nationalFirst = span.length === 0;
  }

  get ranking(): Ranking {
    this.#ranking ??= {
      start: this.#span.start,
      order: answerOrder(this.#table, this.#span, this.#open, this.#lang),
      open: this.#open,
    };
    return this.#ranking;
  }

  get destinations(): Destination[] {
    return (this.#destinations ??= destinationsOf(this.#table, this.ranking));
  }

  toJSON(): RouteDecision {
    const { destinations, method, prefixLength, needsZip, reason, place, lineType, datasetVersion } = this;
    const { callerPrefix, variant, nationalFirst } = this;
    return {
      destinations,
      method,
      prefixLength,
      needsZip,
      reason,
      place,
      lineType,
      datasetVersion,
      callerPrefix,
      variant,
      nationalFirst,
    };
  }
}

/** Positions in the placement's ranking, re-ordered for this query: open before closed, then the caller's language first. */
function answerOrder(table: RoutingTable, span: RankedSpan, open: OpenStates, lang: string | undefined): number[] {
  const { start, length: n } = span;
  const order: number[] = [];
  // Four passes over a handful of candidates: (open, speaks lang), (open), (closed, speaks lang), (closed).
  for (let pass = 0; pass < 4; pass++) {
    const wantOpen = pass < 2;
    const wantLang = pass % 2 === 0;
    if (wantLang && lang === undefined) continue;
    for (let i = 0; i < n; i++) {
      const index = table.rankedCenters[start + i]!;
      if ((open.centers[index] === 1) !== wantOpen) continue;
      if (lang !== undefined && table.centers[index]!.languages.includes(lang) !== wantLang) continue;
      order.push(i);
    }
  }
  return order;
}

function destinationsOf(table: RoutingTable, { start, order, open }: Ranking): Destination[] {
  const destinations: Destination[] = new Array(order.length + 1);
  for (let k = 0; k < order.length; k++) {
    const at = start + order[k]!;
    const index = table.rankedCenters[at]!;
    destinations[k] = destination(table.centers[index]!, table.rankedTenthsKm[at]! / 10, open.centers[index] === 1);
  }
  destinations[order.length] = destination(table.national, null, open.national);
  return destinations;
}

/**
 * Which centers are open, worked out once per table per UTC minute: opening hours are in whole
 * minutes and zone offsets in whole minutes, so within a minute nothing opens or closes.
 * Kept on the table like locationMemo: a function of the minute alone, it never changes an answer.
 */
function openStates(table: RoutingTable, clock: RouteClock): OpenStates {
  const memo = table.openMemo;
  const minute = Math.floor(clock.nowMs / 60_000);
  if (memo.minute !== minute) {
    // A new array, not the old one refilled: a decision made last minute keeps reading its own.
    const centers = new Uint8Array(table.centers.length);
    for (const center of table.centers) centers[center.index] = isOpen(center, clock) ? 1 : 0;
    table.openMemo = { minute, centers, national: isOpen(table.national, clock) };
  }
  return table.openMemo;
}

function nationalOnly(
  table: RoutingTable,
  clock: RouteClock,
  method: Method,
  needsZip: boolean,
  reason: RouteDecision['reason'],
  callerPrefix: string | null,
  lineType: LineType | null,
): RouteDecision {
  return {
    destinations: [destination(table.national, null, openStates(table, clock).national)],
    method,
    prefixLength: null,
    needsZip,
    reason,
    place: null,
    lineType,
    datasetVersion: table.version,
    callerPrefix,
    variant: null,
    nationalFirst: true,
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
