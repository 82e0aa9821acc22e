/**
 * Routine route answers, counted instead of written one line each: a caller answered with a
 * center first, quickly, with nothing refused or degraded. Such a line says nothing anyone acts
 * on (metrics count the same answers), yet it was a tenth of a route answer's work, and every
 * one held a caller's prefix and the second they called. Once a window, one line says how many
 * there were, by route and by method, how many asked for a zip (placed by area code alone), and
 * the slowest; anything unusual keeps its own line (accessLog.ts).
 */
export type RoutineAnswerLog = 'summary' | 'each';

const SUMMARY_EVERY_MS = 60_000;

export type RoutineSummary = {
  answers: number;
  sinceMs: number;
  byRoute: Record<string, number>;
  byMethod: Record<string, number>;
  needsZip: number;
  slowestMs: number;
};

export class RoutineAnswers {
  private answers = 0;
  private readonly byRoute = new Map<string, number>();
  private readonly byMethod = new Map<string, number>();
  private needsZip = 0;
  private slowestMs = 0;
  private sinceMs = 0;
  private timer: NodeJS.Timeout | null = null;

  /** write: writes one window's summary as a line. */
  constructor(
    private readonly write: (summary: RoutineSummary) => void,
    private readonly everyMs = SUMMARY_EVERY_MS,
  ) {}

  /** route: the route's template; method: how routing placed the caller. */
  count(route: string, method: string, needsZip: boolean, ms: number): void {
    if (this.answers++ === 0) {
      this.sinceMs = Date.now();
      this.timer = setTimeout(() => this.flush(), this.everyMs);
      this.timer.unref(); // a quiet service must still be able to exit
    }
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    this.byMethod.set(method, (this.byMethod.get(method) ?? 0) + 1);
    if (needsZip) this.needsZip++;
    if (ms > this.slowestMs) this.slowestMs = ms;
  }

  /** Writes the window's line, if anything was counted, and starts a new window. */
  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.answers === 0) return;
    this.write({
      answers: this.answers,
      sinceMs: this.sinceMs,
      byRoute: Object.fromEntries(this.byRoute),
      byMethod: Object.fromEntries(this.byMethod),
      needsZip: this.needsZip,
      slowestMs: Math.round(this.slowestMs * 100) / 100,
    });
    this.answers = 0;
    this.byRoute.clear();
    this.byMethod.clear();
    this.needsZip = 0;
    this.slowestMs = 0;
  }
}
