/**
 * Request counts and durations by route template, method and status, kept as plain numbers and
 * written in Prometheus' text format only when scraped. prom-client's labelled metrics hash their
 * label object on every observation; here a request costs two map lookups and a few additions.
 */
export const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1] as const;

type MethodSeries = { byStatus: Map<number, number>; buckets: Float64Array; sum: number; count: number };

export class RequestMetrics {
  private readonly byRoute = new Map<string, Map<string, MethodSeries>>();

  observe(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.byRoute.get(route);
    if (byMethod === undefined) this.byRoute.set(route, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (series === undefined)
      byMethod.set(
        method,
        (series = { byStatus: new Map(), buckets: new Float64Array(DURATION_BUCKETS.length), sum: 0, count: 0 }),
      );
    series.byStatus.set(status, (series.byStatus.get(status) ?? 0) + 1);
    series.sum += seconds;
    series.count++;
    for (let i = 0; i < DURATION_BUCKETS.length; i++) {
      if (seconds <= DURATION_BUCKETS[i]!) {
        series.buckets[i]!++;
        break;
      }
    }
  }

  /** The two metric families, as prom-client would write them (cumulative buckets, le first). */
  text(): string {
    const counts = [
      '# HELP http_requests_total HTTP requests answered, by route template, method and status',
      '# TYPE http_requests_total counter',
    ];
    const durations = [
      '# HELP http_request_duration_seconds Time to answer, by route template and method',
      '# TYPE http_request_duration_seconds histogram',
    ];
    for (const [route, byMethod] of this.byRoute) {
      for (const [method, series] of byMethod) {
        const labels = `route="${labelValue(route)}",method="${labelValue(method)}"`;
        for (const [status, n] of series.byStatus)
          counts.push(`http_requests_total{${labels},status="${status}"} ${n}`);
        let cumulative = 0;
        for (let i = 0; i < DURATION_BUCKETS.length; i++) {
          cumulative += series.buckets[i]!;
          durations.push(`http_request_duration_seconds_bucket{le="${DURATION_BUCKETS[i]}",${labels}} ${cumulative}`);
        }
        durations.push(`http_request_duration_seconds_bucket{le="+Inf",${labels}} ${series.count}`);
        durations.push(`http_request_duration_seconds_sum{${labels}} ${series.sum}`);
        durations.push(`http_request_duration_seconds_count{${labels}} ${series.count}`);
      }
    }
    return `${counts.join('\n')}\n\n${durations.join('\n')}\n`;
  }
}

/** Prometheus label-value escaping: backslash, double quote and newline. */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
