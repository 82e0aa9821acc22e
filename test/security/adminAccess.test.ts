import t from 'tap';
import * as crypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startRedis, testNamespace } from '../helpers/redisServer.js';
import { ADMIN_TOKEN, auth, sampleCsv, startInstance } from '../helpers/service.js';
import { rawRequest, type RawAnswer } from '../helpers/rawHttp.js';

/**
 * The admin API can change where every call goes: nothing reaches it without a configured token,
 * whatever the header, the scheme or the spelling of the path, and an oversized upload is refused
 * before it is read.
 */
const MAX_UPLOAD_BYTES = 65_536;
const redisServer = await startRedis();
t.teardown(() => redisServer.stop());
const namespace = testNamespace();
const instance = await startInstance(redisServer.url, {
  namespace,
  env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), RATE_LIMIT_ADMIN_PER_IP: '100000', LOG_LEVEL: 'warn' },
});
t.teardown(() => instance.close());
await instance.app.listen({ port: 0, host: '127.0.0.1' });
const { port } = instance.app.server.address() as { port: number };
const { inject } = instance;
const seeded = instance.tables.table!.version;

const stored = async () => (await inject({ url: '/v1/admin/datasets', headers: auth() })).body;
const before = await stored();
/** What only an authorised answer carries: the version list, a table, an activation. */
const leaksData = (body: string) => /"versions"|"active"|id,kind,name|"dryRun"|fictional/.test(body);

t.test(
  'missing, wrong and malformed tokens are refused with 401 on every admin route, and nothing changes',
  async (t) => {
    const headerCases: Array<Record<string, string>> = [
      {},
      { authorization: '' },
      { authorization: 'Bearer' },
      { authorization: 'Bearer ' },
      { authorization: 'Bearer nope-nope-nope-nope' },
      { authorization: `Bearer ${ADMIN_TOKEN}x` },
      { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}` },
      { authorization: `Bearer ${ADMIN_TOKEN.toUpperCase()}` },
      { authorization: `Bearer ${ADMIN_TOKEN}${'x'.repeat(8000)}` },
      { authorization: `Bearer ${ADMIN_TOKEN.slice(0, -1)}\u00e9` },
      { authorization: `Bearer ${Buffer.from(`${ADMIN_TOKEN}é`, 'utf8').toString('latin1')}` },
      { authorization: `Bearer ${ADMIN_TOKEN} ${ADMIN_TOKEN}` },
      { authorization: `Bearer ${ADMIN_TOKEN},Bearer x` },
      { authorization: `Bearer"${ADMIN_TOKEN}"` },
      { authorization: `Bearer${ADMIN_TOKEN}` },
      { authorization: `Basic ${Buffer.from(`ops:${ADMIN_TOKEN}`).toString('base64')}` },
      { authorization: `Basic ${ADMIN_TOKEN}` },
      { authorization: `Token ${ADMIN_TOKEN}` },
      { authorization: ADMIN_TOKEN },
      { 'x-admin-token': ADMIN_TOKEN },
      { 'x-api-key': ADMIN_TOKEN },
      { cookie: `token=${ADMIN_TOKEN}` },
      { 'proxy-authorization': `Bearer ${ADMIN_TOKEN}` },
    ];
    const queryCases = [
      `?token=${ADMIN_TOKEN}`,
      `?access_token=${ADMIN_TOKEN}`,
      `?authorization=Bearer%20${ADMIN_TOKEN}`,
    ];
    const routes: Array<{ method: 'GET' | 'POST'; url: string; payload?: string }> = [
      { method: 'GET', url: '/v1/admin/datasets' },
      {
        method: 'POST',
        url: '/v1/admin/datasets?activate=true',
        payload: sampleCsv().replace('Sample Center Anchorage', 'Hijacked Anchorage'),
      },
      { method: 'GET', url: `/v1/admin/datasets/${seeded}/affiliates` },
      { method: 'POST', url: `/v1/admin/datasets/${seeded}/activate` },
      { method: 'GET', url: `/v1/admin/datasets/${seeded}/coverage` },
    ];
    let refused = 0;
    for (const route of routes) {
      for (const [headers, query] of [
        ...headerCases.map((h) => [h, ''] as const),
        ...queryCases.map((q) => [{}, q] as const),
      ]) {
        const url = query ? `${route.url}${route.url.includes('?') ? '&' : '?'}${query.slice(1)}` : route.url;
        // The contract check is skipped for the query variants: openapi.yaml rightly lists no token parameter.
        const res = await (query ? instance.app.inject.bind(instance.app) : inject)({
          method: route.method,
          url,
          headers: { ...headers, 'content-type': 'text/csv' },
          ...(route.payload ? { payload: route.payload } : {}),
        });
        const shown = JSON.stringify(headers).slice(0, 80);
        const what = `${route.method} ${route.url} ${shown}${query ? ' token in query' : ''}`;
        t.equal(res.statusCode, 401, what);
        t.equal(res.json().error.code, 'unauthorized', what);
        t.match(res.headers['www-authenticate'], /^Bearer /, what);
        t.notOk(leaksData(res.body), `${what}: no data`);
        refused += 1;
      }
    }
    t.equal(await stored(), before, `${refused} refused requests stored and activated nothing`);
    t.equal(instance.tables.table!.version, seeded);
    t.notMatch(instance.logs.text, ADMIN_TOKEN, 'no token is logged');
    t.equal(
      (await inject({ url: '/v1/admin/datasets', headers: { authorization: `bearer\t${ADMIN_TOKEN}` } })).statusCode,
      200,
      'the right token is accepted (the scheme is case-insensitive, RFC 9110)',
    );
  },
);

t.test('path tricks reach no admin route without a token: 401 or 404, never data, never 5xx', async (t) => {
  const paths = [
    '/v1/admin/datasets',
    '/v1/admin/datasets/',
    '/v1//admin/datasets',
    '//v1/admin/datasets',
    '/v1/admin//datasets',
    '/v1/%61dmin/datasets',
    '/v1/admin/%64atasets',
    '/%761/admin/datasets',
    '/V1/ADMIN/DATASETS',
    '/v1/Admin/datasets',
    '/v1/admin/Datasets',
    '/v1/admin/datasets.',
    '/v1/admin/datasets..',
    '/v1/admin.',
    '/v1/admin/datasets%2F',
    '/v1/admin%2Fdatasets',
    '/v1%2Fadmin%2Fdatasets',
    '/v1/admin%2fdatasets',
    '/v1/admin/datasets/..%2F..%2Fx/activate',
    '/v1/admin/datasets/%2e%2e/datasets',
    '/v1/admin/./datasets',
    '/v1/./admin/datasets',
    '/v1/admin/../admin/datasets',
    '/v1/route/../admin/datasets',
    '/healthz/../v1/admin/datasets',
    '/v1/admin/datasets/./',
    '/v1/admin/datasets%00',
    '/v1/admin/datasets%00.json',
    '/v1/admin/datasets%20',
    '/v1/admin/datasets%09',
    '/v1/admin/datasets;x',
    '/v1/admin;/datasets',
    '/v1/admin/datasets\\',
    '/v1/admin/datasets%5C',
    '/v1/admin/datasets?x=1',
    '/v1/admin/datasets#x',
    '/v1/admin/datasets?%00',
    '/v1/admin/datasets/%2e',
    `/v1/admin/datasets/${seeded}/affiliates`,
    `/v1/admin/datasets/${seeded}/affiliates/`,
    `/v1/admin/datasets/${seeded}/ACTIVATE`,
    `/v1/admin/datasets/${seeded}/activate.`,
    `/v1/admin/datasets/${seeded}%2Factivate`,
    `/v1/admin/datasets/${seeded.toUpperCase()}/affiliates`,
    '/v1/admin',
    '/v1/admin/',
    '/v1/admin/*',
    '/v1/admin/datasets/*/affiliates',
    `http://localhost/v1/admin/datasets`,
    `http://localhost:${port}/v1/admin/datasets/${seeded}/affiliates`,
    '*',
  ];
  const statuses: Record<string, number> = {};
  for (const method of ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH']) {
    for (const path of paths) {
      const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? sampleCsv() : '';
      const sized = body ? `Content-Type: text/csv\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : '';
      const res: RawAnswer = await rawRequest(
        port,
        `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${sized}\r\n`,
        body,
      );
      const what = `${method} ${path} → ${res.status}`;
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      // 400 is Node's own refusal of a request line it cannot parse (e.g. "*" for GET), before any route.
      t.ok([400, 401, 404].includes(res.status), what);
      t.notOk(leaksData(res.body), `${what}: no data`);
    }
  }
  t.equal(await stored(), before, 'nothing was stored or activated');
  t.equal(instance.tables.table!.version, seeded);
  t.pass(`answers by status: ${JSON.stringify(statuses)}`);
});

t.test('an upload over MAX_UPLOAD_BYTES gets 413 before it is read, whether sized or chunked', async (t) => {
  const invalid = `not,a,table\n${'=HYPERLINK("x"),"unbalanced,\u0000\n'.repeat(4000)}`; // 422 if it were ever parsed
  t.ok(Buffer.byteLength(invalid) > MAX_UPLOAD_BYTES);
  const bearer = `Authorization: Bearer ${ADMIN_TOKEN}\r\n`;
  const head = (extra: string, contentType = 'text/csv') =>
    'POST /v1/admin/datasets?dryRun=true HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n' +
    `${bearer}Content-Type: ${contentType}\r\n${extra}\r\n`;

  const sized = await rawRequest(port, head(`Content-Length: ${Buffer.byteLength(invalid)}\r\n`), invalid);
  t.equal(sized.status, 413, 'Content-Length over the limit');
  t.match(JSON.parse(sized.body), { error: { code: 'body_too_large', details: [{ row: null, column: null }] } });

  // Announced as 10 MB, 1 KB sent: the answer cannot wait for (or parse) a body it never gets.
  const announced = await rawRequest(port, head('Content-Length: 10000000\r\n'), invalid.slice(0, 1024), 3000);
  t.equal(announced.status, 413, `an announced 10 MB body is refused from its header, in ${announced.ms} ms`);

  const chunks = invalid
    .match(/[\s\S]{1,8192}/g)!
    .map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`)
    .join('');
  const chunked = await rawRequest(port, head('Transfer-Encoding: chunked\r\n'), `${chunks}0\r\n\r\n`);
  t.equal(chunked.status, 413, 'chunked, counted as it arrives');
  t.equal(JSON.parse(chunked.body).error.code, 'body_too_large');

  const endless = await rawRequest(port, head('Transfer-Encoding: chunked\r\n'), chunks, 3000);
  t.equal(endless.status, 413, 'a chunked body that never ends is refused once it passes the limit');

  const json = `[${'{"id":"x","name":"=cmd"},'.repeat(4000)}{}]`;
  const asJson = await rawRequest(
    port,
    head(`Content-Length: ${Buffer.byteLength(json)}\r\n`, 'application/json'),
    json,
  );
  t.equal(asJson.status, 413, 'JSON too');

  const unauthenticated = await rawRequest(
    port,
    'POST /v1/admin/datasets HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n' +
      'Content-Type: text/csv\r\nContent-Length: 10000000\r\n\r\n',
    'x'.repeat(1024),
    3000,
  );
  t.equal(unauthenticated.status, 401, 'without a token the body is not even read: 401 before 413');

  const justUnder = `${sampleCsv().split('\n')[0]}\n${'x'.repeat(MAX_UPLOAD_BYTES - 500)}\n`;
  const under = await rawRequest(port, head(`Content-Length: ${Buffer.byteLength(justUnder)}\r\n`), justUnder);
  t.equal(
    under.status,
    422,
    'just under the limit is read and validated (so the 413s above are the limit, not something else)',
  );
  t.equal(await stored(), before);
});

t.test(
  'the token comparison is constant-time: timingSafeEqual over SHA-256 digests, every configured token compared',
  async (t) => {
    const lengths: Array<[number, number]> = [];
    const { tokenMatcher } = await t.mockImport<typeof import('../../src/http/plugins/adminAuth.js')>(
      '../../src/http/plugins/adminAuth.js',
      {
        'node:crypto': {
          ...crypto,
          timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
            lengths.push([a.byteLength, b.byteLength]);
            return crypto.timingSafeEqual(a, b);
          },
        },
      },
    );
    const tokens = new Map([
      ['ops', ADMIN_TOKEN],
      ['alice', 'a-much-longer-token-for-alice-0123456789'],
      ['bob', 'short-token-16ch'],
    ]);
    const match = tokenMatcher(tokens);
    const presented = [
      '',
      'x',
      ADMIN_TOKEN.slice(0, -1),
      `${ADMIN_TOKEN}x`,
      'é'.repeat(5000),
      '\u0000',
      'short-token-16ch',
      ADMIN_TOKEN,
    ];
    const labels = presented.map((p) => match(p));
    t.same(
      labels,
      [undefined, undefined, undefined, undefined, undefined, undefined, 'bob', 'ops'],
      'only an exact token matches, and no length makes it throw',
    );
    t.equal(
      lengths.length,
      presented.length * tokens.size,
      'every configured token is compared for every attempt, even after a match',
    );
    t.ok(
      lengths.every(([a, b]) => a === 32 && b === 32),
      'always two 32-byte digests, whatever the lengths presented',
    );
    const source = readFileSync('src/http/plugins/adminAuth.ts', 'utf8');
    t.notMatch(
      source,
      /token\s*===|===\s*token|\.startsWith\(|\.includes\(/,
      'no early-exit string comparison of tokens in the source',
    );
  },
);

t.test('guessing tokens is rate limited: 429 with Retry-After', async (t) => {
  const limited = await startInstance(redisServer.url, {
    namespace,
    env: { RATE_LIMIT_ADMIN_PER_IP: '5', LOG_LEVEL: 'warn' },
  });
  t.teardown(() => limited.close());
  const guess = (i: number) =>
    limited.inject({
      url: '/v1/admin/datasets',
      headers: { authorization: `Bearer guess-${i}-0123456789abcdef` },
      remoteAddress: '198.51.100.7',
    });
  // The limiter counts in Redis and skips counting until its own connection is up (an outage refuses nothing),
  // so guess until it counts.
  const codes: number[] = [];
  while (!codes.includes(429) && codes.length < 500) codes.push((await guess(codes.length)).statusCode);
  const first429 = codes.indexOf(429);
  t.ok(first429 >= 5, `five wrong guesses get 401 (${first429} before the limit)`);
  t.ok(codes.slice(0, first429).every((c) => c === 401));
  const after = await guess(999);
  t.equal(after.statusCode, 429, 'the limit holds');
  t.match(after.headers['retry-after'], /^\d+$/);
  t.equal(after.json().error.code, 'rate_limited');
  // Failed authentications have an allowance of their own: a flood of wrong tokens cannot lock ops out.
  const right = await limited.inject({ url: '/v1/admin/datasets', headers: auth(), remoteAddress: '198.51.100.7' });
  t.equal(right.statusCode, 200, 'the right token from the flooded address is let through');
  t.equal((await guess(1000)).statusCode, 429, 'and the valid request buys the guesses nothing');
});
