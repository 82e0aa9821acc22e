import type { RoutingTable } from '../core/types.js';

/** How one center leg of a voice call ended, as the voice flow learns it from Twilio's callbacks. */
export type LegOutcome = 'answered' | 'no-answer' | 'busy' | 'failed' | 'screened-out';

export const LEG_OUTCOMES: readonly LegOutcome[] = ['answered', 'no-answer', 'busy', 'failed', 'screened-out'];

export type OutcomeCounts = Record<LegOutcome, number>;

const MINUTE = 60_000;
/** The recent windows the admin view reports, by name, in milliseconds. */
export const OUTCOME_WINDOWS = { '15m': 15 * MINUTE, '1h': 60 * MINUTE, '24h': 24 * 60 * MINUTE } as const;
export type OutcomeWindow = keyof typeof OUTCOME_WINDOWS;
export const WINDOW_NAMES = Object.keys(OUTCOME_WINDOWS) as OutcomeWindow[];

/** Where legs of ids that are not centers of the table are counted, whatever the id. */
export const OTHER_CENTER = '(other)';
const DEFAULT_MAX_CENTERS = 1000;

export type CallOutcomesOptions = {
  /** Whether an id is a center of the current table; other ids are counted under OTHER_CENTER. */
  isCenter?: (centerId: string) => boolean;
  /** The most center ids counted apart (each holds a few KB); beyond it, legs go to OTHER_CENTER. */
  maxCenters?: number;
  now?: () => number;
};

export type CenterOutcomes = { total: OutcomeCounts; windows: Record<OutcomeWindow, OutcomeCounts> };

const zeroCounts = (): OutcomeCounts => ({ answered: 0, 'no-answer': 0, busy: 0, failed: 0, 'screened-out': 0 });

/** Counts per outcome in a ring of time buckets; a bucket is cleared when its slot comes round again. */
class BucketRing {
  private readonly counts: Uint32Array;
  /** The bucket number (time / bucketMs) each slot holds; -1 while empty. */
  private readonly buckets: Int32Array;

  constructor(
    private readonly bucketMs: number,
    private readonly size: number,
  ) {
    this.counts = new Uint32Array(size * LEG_OUTCOMES.length);
    this.buckets = new Int32Array(size).fill(-1);
  }

  add(nowMs: number, outcome: number): void {
    const bucket = Math.floor(nowMs / this.bucketMs);
    const slot = bucket % this.size;
    const held = this.buckets[slot]!;
    if (held !== bucket) {
      // A leg reported after its slot moved on is older than the ring: it counts in the totals only.
      if (held > bucket) return;
      this.counts.fill(0, slot * LEG_OUTCOMES.length, (slot + 1) * LEG_OUTCOMES.length);
      this.buckets[slot] = bucket;
    }
    this.counts[slot * LEG_OUTCOMES.length + outcome]!++;
  }

  /** Adds the legs of the last windowMs (to the bucket: the current one is partial) into `into`. */
  sumInto(nowMs: number, windowMs: number, into: OutcomeCounts): void {
    const current = Math.floor(nowMs / this.bucketMs);
    const oldest = current - Math.min(this.size, Math.ceil(windowMs / this.bucketMs)) + 1;
    for (let slot = 0; slot < this.size; slot++) {
      const bucket = this.buckets[slot]!;
      if (bucket < oldest || bucket > current) continue;
      for (let o = 0; o < LEG_OUTCOMES.length; o++)
        into[LEG_OUTCOMES[o]!] += this.counts[slot * LEG_OUTCOMES.length + o]!;
    }
  }
}

/** One center's legs: totals since start, minutes for the last hour, quarter hours for the last day. */
class CenterLegs {
  readonly total = zeroCounts();
  private readonly minutes = new BucketRing(MINUTE, 60);
  private readonly quarters = new BucketRing(15 * MINUTE, 96);

  add(outcome: LegOutcome, nowMs: number): void {
    this.total[outcome]++;
    const index = LEG_OUTCOMES.indexOf(outcome);
    this.minutes.add(nowMs, index);
    this.quarters.add(nowMs, index);
  }

  window(window: OutcomeWindow, nowMs: number): OutcomeCounts {
    const counts = zeroCounts();
    const windowMs = OUTCOME_WINDOWS[window];
    (windowMs <= OUTCOME_WINDOWS['1h'] ? this.minutes : this.quarters).sumInto(nowMs, windowMs, counts);
    return counts;
  }
}

/**
 * Center leg results by center id, for /metrics and the admin answer-rate view. Holds no caller
 * data: a center id, an outcome and the time bucket it fell in. Memory is bounded: ids that are
 * not centers of the table share one entry, and at most maxCenters ids are counted apart.
 */
export class CallOutcomes {
  private readonly legs = new Map<string, CenterLegs>();
  private readonly isCenter: (centerId: string) => boolean;
  private readonly maxCenters: number;
  readonly now: () => number;
  /** When counting began (the windows before it are partial). */
  readonly since: number;

  constructor(options: CallOutcomesOptions = {}) {
    this.isCenter = options.isCenter ?? (() => true);
    this.maxCenters = options.maxCenters ?? DEFAULT_MAX_CENTERS;
    this.now = options.now ?? Date.now;
    this.since = this.now();
  }

  record(centerId: string, outcome: LegOutcome, nowMs: number = this.now()): void {
    if (!LEG_OUTCOMES.includes(outcome)) return;
    this.entryFor(centerId).add(outcome, nowMs);
  }

  /** Totals since start, by center id. */
  totalsByCenter(): ReadonlyMap<string, Readonly<OutcomeCounts>> {
    return new Map([...this.legs].map(([id, legs]) => [id, legs.total]));
  }

  /** Totals and recent windows, by center id, for every id with a leg. */
  byCenter(nowMs: number = this.now()): Map<string, CenterOutcomes> {
    const view = new Map<string, CenterOutcomes>();
    for (const [id, legs] of this.legs) {
      const windows = Object.fromEntries(WINDOW_NAMES.map((w) => [w, legs.window(w, nowMs)]));
      view.set(id, { total: { ...legs.total }, windows: windows as Record<OutcomeWindow, OutcomeCounts> });
    }
    return view;
  }

  /** Ids counted apart, OTHER_CENTER included: never more than maxCenters + 1. */
  get size(): number {
    return this.legs.size;
  }

  private entryFor(centerId: string): CenterLegs {
    const known = this.legs.get(centerId);
    if (known) return known;
    const id = this.isCenter(centerId) && this.roomForOne() ? centerId : OTHER_CENTER;
    let legs = this.legs.get(id);
    if (!legs) this.legs.set(id, (legs = new CenterLegs()));
    return legs;
  }

  /** Whether one more id fits, after forgetting ids the table no longer has. */
  private roomForOne(): boolean {
    const counted = () => this.legs.size - (this.legs.has(OTHER_CENTER) ? 1 : 0);
    if (counted() < this.maxCenters) return true;
    for (const id of this.legs.keys()) if (id !== OTHER_CENTER && !this.isCenter(id)) this.legs.delete(id);
    return counted() < this.maxCenters;
  }
}

/** A center-id check against whatever table is current, its id set built once per table. */
export function centerOf(table: () => RoutingTable | null): (centerId: string) => boolean {
  let seen: RoutingTable | null = null;
  let ids = new Set<string>();
  return (centerId) => {
    const current = table();
    if (current !== seen) {
      seen = current;
      ids = new Set(current ? [current.national.id, ...current.centers.map((c) => c.id)] : []);
    }
    return ids.has(centerId);
  };
}
