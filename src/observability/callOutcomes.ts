/** How one center leg of a voice call ended, as the voice flow learns it from Twilio's callbacks. */
export type LegOutcome = 'answered' | 'no-answer' | 'busy' | 'failed' | 'screened-out';

export const LEG_OUTCOMES: readonly LegOutcome[] = ['answered', 'no-answer', 'busy', 'failed', 'screened-out'];

/**
 * Center leg results by center id, for /metrics and the admin answer-rate view. Holds no caller
 * data: a center id, an outcome and the minute it happened.
 */
export class CallOutcomes {
  private readonly totals = new Map<string, Record<LegOutcome, number>>();

  record(centerId: string, outcome: LegOutcome, _nowMs: number = Date.now()): void {
    let counts = this.totals.get(centerId);
    if (counts === undefined) {
      counts = { answered: 0, 'no-answer': 0, busy: 0, failed: 0, 'screened-out': 0 };
      this.totals.set(centerId, counts);
    }
    counts[outcome]++;
  }

  /** Totals since start, by center id. */
  totalsByCenter(): ReadonlyMap<string, Readonly<Record<LegOutcome, number>>> {
    return this.totals;
  }
}
