import t, { type Test } from 'tap';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { shippedApp } from '../helpers/app.js';

/**
 * Property-based fuzzing of every public endpoint: whatever a caller, a phone system or a widget
 * sends, the service never answers 5xx, every 200 ends with the national line, and no answer
 * echoes more than the 6-digit prefix of a caller's number.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);

type Answer = { destinations?: Array<{ kind: string }> };

/** A caller number that can't be confused with the sample's 555-01XX center numbers. */
const callerNumber = fc
  .tuple(fc.integer({ min: 201, max: 989 }), fc.integer({ min: 200, max: 999 }), fc.integer({ min: 0, max: 9999 }))
  .filter(([, nxx]) => nxx !== 555)
  .map(([npa, nxx, line]) => `${npa}${nxx}${String(line).padStart(4, '0')}`);

const formatted = callerNumber.chain((n) =>
  fc
    .constantFrom(
      `+1${n}`,
      `1${n}`,
      n,
      `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
      `tel:+1${n};ext=12`,
      `+1 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)} x7`,
      `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
    )
    .map((text) => ({ digits: n, text })),
);

const hostileText = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom(
      '\u0000',
      '\u0007',
      '\n',
      '\r',
      '\t',
      '\u202e',
      '\ufeff',
      '%',
      '&',
      '=',
      '+',
      '#',
      '"',
      "'",
      '<',
      '>',
    ),
    maxLength: 20,
  }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'NaN',
    'Infinity',
    '-0',
    '1e400',
    '9'.repeat(400),
    'null',
    'undefined',
    '[]',
    '{}',
    'true',
    'Anonymous',
    '+266696687',
    '0',
    '-1',
  ),
  fc.double().map(String),
  fc.integer().map(String),
);

const paramName = fc.constantFrom(
  'phone',
  'zip',
  'lat',
  'lon',
  'lang',
  '__proto__',
  'constructor',
  'From',
  'Digits',
  'phone[]',
  'zip[0]',
);

function checkAnswer(t: Test, res: LightMyRequestResponse, numberDigits: string | undefined, what: string): boolean {
  if (res.statusCode >= 500) {
    t.fail(`${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    return false;
  }
  if (numberDigits && res.body.includes(numberDigits.slice(3))) {
    t.fail(`${what}: the answer echoes the caller's line number`);
    return false;
  }
  if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('application/json')) {
    const body = res.json<Answer>();
    if (body.destinations?.at(-1)?.kind !== 'national') {
      t.fail(`${what}: a 200 that does not end with the national line`);
      return false;
    }
  }
  return true;
}

t.test('public endpoints under generated input', async (t) => {
  const { app } = await shippedApp({ logLevel: 'silent' });
  t.teardown(() => app.close());
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  t.comment(`fast-check seed ${seed} (FUZZ_SEED to replay)`);
  const options = { numRuns: RUNS, seed };

  t.test('GET /v1/route with real numbers in every format: 200, national last, number never echoed', async (t) => {
    await fc.assert(
      fc.asyncProperty(
        formatted,
        fc.option(fc.constantFrom('es', 'en', 'es-US', 'fr')),
        async ({ digits, text }, lang) => {
          const res = await app.inject({
            method: 'GET',
            url: '/v1/route',
            query: { phone: text, ...(lang ? { lang } : {}) },
          });
          return res.statusCode === 200 && checkAnswer(t, res, digits, `phone ${digits.slice(0, 3)}…`);
        },
      ),
      options,
    );
  });

  t.test('GET /v1/route and /v1/route.txt with arbitrary query strings', async (t) => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(paramName, hostileText, { maxKeys: 4 }),
        fc.constantFrom('/v1/route', '/v1/route.txt'),
        async (query, path) => {
          const res = await app.inject({ method: 'GET', url: path, query });
          return (
            checkAnswer(t, res, undefined, `${path} ${JSON.stringify(query).slice(0, 120)}`) &&
            [200, 400].includes(res.statusCode)
          );
        },
      ),
      options,
    );
  });

  t.test('GET /v1/route with raw, unencoded and malformed URLs', async (t) => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (raw) => {
        const url = `/v1/route?${raw.replace(/[#\s]/g, '')}`;
        const res = await app.inject({ method: 'GET', url });
        return checkAnswer(t, res, undefined, `raw ${JSON.stringify(url).slice(0, 120)}`);
      }),
      options,
    );
  });

  t.test(
    'POST /v1/route with arbitrary JSON bodies: numbers as strings, strings as numbers, nested objects',
    async (t) => {
      const value = fc.oneof(
        hostileText,
        fc.double(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(fc.integer(), { maxLength: 3 }),
        fc.object({ maxDepth: 2 }),
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.dictionary(paramName, value, { maxKeys: 4 }), fc.jsonValue()), async (body) => {
          const res = await app.inject({
            method: 'POST',
            url: '/v1/route',
            headers: { 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          return (
            checkAnswer(t, res, undefined, `POST ${JSON.stringify(body).slice(0, 120)}`) &&
            [200, 400].includes(res.statusCode)
          );
        }),
        options,
      );
      t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    },
  );

  t.test('GET /v1/zips/:zip with arbitrary path segments', async (t) => {
    await fc.assert(
      fc.asyncProperty(hostileText, async (zip) => {
        const res = await app.inject({ method: 'GET', url: `/v1/zips/${encodeURIComponent(zip)}` });
        return (
          checkAnswer(t, res, undefined, `zip ${JSON.stringify(zip).slice(0, 80)}`) &&
          [200, 400, 404].includes(res.statusCode)
        );
      }),
      options,
    );
  });

  t.test(
    "POST /v1/twilio/voice with arbitrary Twilio parameters: TwiML, never 5xx, never the caller's number",
    async (t) => {
      const twilioParam = fc.constantFrom(
        'From',
        'To',
        'Caller',
        'Digits',
        'DialCallStatus',
        'CallSid',
        'CallStatus',
        'step',
        '__proto__',
        'constructor',
      );
      await fc.assert(
        fc.asyncProperty(
          formatted,
          fc.dictionary(twilioParam, hostileText, { maxKeys: 4 }),
          fc.dictionary(fc.constantFrom('step', 'lang', 'zip', 'tried', 'attempt', 'to'), hostileText, { maxKeys: 3 }),
          async ({ digits, text }, params, query) => {
            const res = await app.inject({
              method: 'POST',
              url: '/v1/twilio/voice',
              query,
              payload: new URLSearchParams({ From: text, ...params }).toString(),
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
            });
            if (!checkAnswer(t, res, digits, 'twilio')) return false;
            return res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/xml');
          },
        ),
        options,
      );
    },
  );
});
