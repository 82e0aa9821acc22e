import t from 'tap';
import { getHeapStatistics } from 'node:v8';
import { shippedApp, shippedTable } from '../helpers/app.js';

const sample = (text: string, name: string, labels = ''): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

t.test('/metrics counts requests by route template and status, and routing outcomes', async (t) => {
  const { app } = await shippedApp();
  t.teardown(() => app.close());
  const get = (url: string) => app.inject({ method: 'GET', url });
  await get('/v1/route?phone=%2B12122267834'); // prefix
  await get('/v1/route?phone=%2B12122267835');
  await get('/v1/route?zip=10001'); // zip
  await get('/v1/route?phone=Anonymous'); // needsZip, national first
  await get('/v1/route?zip=nope'); // 400
  await app.inject({ method: 'POST', url: '/v1/route', payload: { lat: 40.75, lon: -73.99 } }); // location
  await get('/v1/zips/10001');
  await get('/no/such/5551234567');

  const res = await get('/metrics');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  const text = res.body;
  t.equal(sample(text, 'http_requests_total', 'route="/v1/route",method="GET",status="200"'), 4);
  t.equal(sample(text, 'http_requests_total', 'route="/v1/route",method="GET",status="400"'), 1);
  t.equal(sample(text, 'http_requests_total', 'route="/v1/route",method="POST",status="200"'), 1);
  t.equal(sample(text, 'http_requests_total', 'route="/v1/zips/:zip",method="GET",status="200"'), 1);
  t.equal(sample(text, 'http_requests_total', 'route="(unmatched)",method="GET",status="404"'), 1);
  t.equal(sample(text, 'crisis_route_answers_total', 'method="prefix"'), 2);
  t.equal(sample(text, 'crisis_route_answers_total', 'method="zip"'), 2);
  t.equal(sample(text, 'crisis_route_answers_total', 'method="location"'), 1);
  t.equal(sample(text, 'crisis_route_answers_total', 'method="none"'), 1);
  t.equal(sample(text, 'crisis_route_needs_zip_total'), 1);
  t.equal(sample(text, 'crisis_route_national_first_total'), 1);
  t.equal(sample(text, 'crisis_route_degraded_total'), 0);
  t.ok(
    sample(text, 'http_request_duration_seconds_count', 'route="/v1/route",method="GET"') === 5,
    'every GET /v1/route timed, 400s included',
  );
  t.match(text, /^nodejs_eventloop_lag_seconds \d/m, 'event-loop lag');
  t.match(text, /^crisis_route_redis_state\{state="disabled"\} 1$/m, 'Redis not configured');
  const live = sample(text, 'crisis_route_live_heap_bytes') ?? NaN;
  // The heap may have shrunk since the last full GC measured it: its limit is the bound that holds.
  const limit = getHeapStatistics().heap_size_limit;
  t.ok(live > 1e6 && live < limit, `the live heap: ${(live / 1e6).toFixed(1)} MB, within the heap's limit`);
  t.notMatch(text, /2267834|2267835|5551234567|phone=|\?/, 'no URL, query or number in any label');
});

t.test('/metrics shows the dataset version and counts table swaps with their compile time', async (t) => {
  const { app, tables } = await shippedApp();
  t.teardown(() => app.close());
  const table = await shippedTable();
  const before = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.equal(sample(before, 'crisis_route_dataset_info', `version="${table.version}",sample="true",source="embedded"`), 1);
  tables.swap({ ...table, version: 'v2-test' }, 'redis', 1500);
  const after = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.equal(sample(after, 'crisis_route_dataset_info', 'version="v2-test",sample="true",source="redis"'), 1);
  t.notMatch(after, new RegExp(`version="${table.version}"`), 'the old version is gone');
  t.equal(sample(after, 'crisis_route_table_swaps_total', 'source="redis"'), 1);
  t.equal(sample(after, 'crisis_route_table_compile_seconds_sum'), 1.5);
  t.equal(sample(after, 'crisis_route_table_compile_seconds_bucket', 'le="2"'), 1);
});

t.test('an app reports the Redis state its provider gives', async (t) => {
  let state: 'ready' | 'down' = 'ready';
  const { app } = await shippedApp({ redisStatus: () => state });
  t.teardown(() => app.close());
  t.match((await app.inject({ method: 'GET', url: '/metrics' })).body, /crisis_route_redis_state\{state="ready"\} 1/);
  state = 'down';
  const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  t.match(body, /crisis_route_redis_state\{state="down"\} 1/);
  t.match(body, /crisis_route_redis_state\{state="ready"\} 0/);
});
