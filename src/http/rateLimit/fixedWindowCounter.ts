/**
 * Hits per key in fixed windows aligned to the clock; every key starts afresh when a window ends.
 * Pure bookkeeping: the caller passes the time. A count is one map update, with no promise and no
 * timer per hit, which is what lets the telephony route be limited at no cost a caller notices.
 */
export class FixedWindowCounter {
  private counts = new Map<string, number>();
  private windowEnd = 0;

  /** maxKeys bounds memory: past it, a new key in the same window is not counted (see hit). */
  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /**
   * Counts a hit and returns the key's hits in the current window. A key that arrives when the
   * window already holds maxKeys others gets 0: not counted, so never refused. A flood from that
   * many addresses is for the load balancer to stop; refusing a phone system for it would drop calls.
   */
  hit(key: string, nowMs: number): number {
    if (nowMs >= this.windowEnd) {
      this.counts.clear();
      this.windowEnd = (Math.floor(nowMs / this.windowMs) + 1) * this.windowMs;
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    if (count === 1 && this.counts.size >= this.maxKeys) return 0;
    this.counts.set(key, count);
    return count;
  }

  /** Whole seconds until the current window ends, at least 1. */
  secondsLeft(nowMs: number): number {
    return Math.max(1, Math.ceil((this.windowEnd - nowMs) / 1000));
  }
}
