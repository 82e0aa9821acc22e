import t from 'tap';
import { Counter, Histogram, Registry } from 'prom-client';
import { DURATION_BUCKETS, RequestMetrics } from '../../src/observability/requestMetrics.js';

t.test('request metrics are written exactly as prom-client writes the same counter and histogram', async (t) => {
  const register = new Registry();
  const counter = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['route', 'method', 'status'],
    registers: [register],
  });
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer, by route template and method',
    labelNames: ['route', 'method'],
    buckets: [...DURATION_BUCKETS],
    registers: [register],
  });
  const ours = new RequestMetrics();
  const observations: Array<[string, string, number, number]> = [
    ['/v1/route', 'GET', 200, 0.0004],
    ['/v1/route', 'GET', 200, 0.0031],
    ['/v1/route', 'GET', 400, 0.0007],
    ['/v1/route', 'POST', 200, 0.012],
    ['/v1/zips/:zip', 'GET', 200, 2.5],
    ['(unmatched)', 'GET', 404, 0.001],
    ['/odd/"quoted"\\path', 'GET', 200, 0.25],
  ];
  for (const [route, method, status, seconds] of observations) {
    ours.observe(route, method, status, seconds);
    counter.inc({ route, method, status: String(status) });
    histogram.observe({ route, method }, seconds);
  }
  const [theirCounter, theirHistogram] = (await register.metrics()).split('\n\n');
  const [ourCounter, ourHistogram] = ours.text().split('\n\n');
  t.equal(ourCounter, theirCounter, 'the counter');
  t.equal(ourHistogram, theirHistogram, 'the histogram');
});
