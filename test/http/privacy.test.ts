import t from 'tap';
import { shippedApp } from '../helpers/app.js';

t.test('no caller number appears in any log line or answer, in any format it was sent', async (t) => {
  // Every answer lined, the mode that logs the most; by default routine answers are only counted.
  const { app, logs } = await shippedApp({ routineAnswerLog: 'each' });
  t.teardown(() => app.close());
  const numbers = Array.from(
    { length: 60 },
    (_, i) => `${[212, 415, 907, 808, 787, 312, 617, 202][i % 8]}${String(2267800 + i * 131)}`,
  );
  for (const [i, n] of numbers.entries()) {
    const formats = [
      `+1${n}`,
      `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
      `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      `tel:+1${n};ext=9`,
    ];
    const phone = formats[i % formats.length]!;
    const get = await app.inject({ method: 'GET', url: `/v1/route?phone=${encodeURIComponent(phone)}` });
    const post = await app.inject({ method: 'POST', url: '/v1/route', payload: { phone } });
    for (const res of [get, post]) {
      t.equal(res.statusCode, 200);
      t.notOk(res.body.includes(n.slice(3)), 'the answer does not echo the number');
    }
  }
  const bad = await app.inject({
    method: 'GET',
    url: `/v1/route?phone=${encodeURIComponent('+1 212 555 0199 x')}&zip=1`,
  });
  t.equal(bad.statusCode, 400);
  t.ok(logs.lines.length >= 120, 'requests were logged');
  for (const n of numbers) {
    t.notOk(logs.text.includes(n.slice(3)), `line number of ${n.slice(0, 6)}… never logged`);
    t.notOk(logs.text.replace(/\D/g, ' ').includes(n.slice(6)) && logs.text.includes(n), 'not even the full 10 digits');
  }
  t.notOk(logs.text.includes('5550199'), 'an invalid request is not logged with its number either');
  t.match(logs.text, /"callerPrefix":"212226"/, 'at most the 6-digit prefix is logged');
});

t.test(
  'numbers sent as Twilio-style form fields, headers, bad JSON, odd paths or inside errors never reach the logs',
  async (t) => {
    const { app, logs } = await shippedApp({
      rateLimit: {
        windowMs: 60_000,
        publicPerIp: 1000,
        telephonyPerIp: 1000,
        telephonyPerKey: 1000,
        adminPerIp: 1000,
        telephonyApiKeys: [{ label: 'acme', key: 'secret-key-0123456789' }],
      },
    });
    t.teardown(() => app.close());
    // A careless route, as a later webhook might be written: it logs everything it was given, then fails.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    app.post('/v1/twilio/test-only-careless', async (request) => {
      request.log.info({ body: request.body, params: request.body, headers: request.headers }, 'webhook received');
      request.log.info(request.body as object, 'fields at the top level');
      request.log.info({ call: request.body }, 'fields one level down');
      throw new Error(`could not route ${(request.body as { From: string }).From}`);
    });
    const numbers = Array.from({ length: 40 }, (_, i) => `${[212, 305, 503, 602][i % 4]}${String(4419000 + i * 17)}`);
    for (const n of numbers) {
      const form = new URLSearchParams({
        From: `+1${n}`,
        Caller: `+1${n}`,
        To: '+18005550100',
        Called: '+18005550100',
        Digits: n.slice(3),
        ForwardedFrom: `+1${n}`,
      }).toString();
      const res = await app.inject({
        method: 'POST',
        url: '/v1/twilio/test-only-careless',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-api-key': 'secret-key-0123456789',
          authorization: `Basic ${n}`,
          'x-twilio-signature': `sig${n}`,
          cookie: `n=${n}`,
        },
        payload: form,
      });
      t.equal(res.statusCode, 500);
      t.notMatch(res.body, /at |\.ts|\.js|stack/, 'no stack trace in the answer');
      t.notOk(res.body.includes(n.slice(3)), 'the error answer does not echo the number');
      await app.inject({
        method: 'POST',
        url: '/v1/route',
        headers: { 'content-type': 'application/json' },
        payload: `{"phone":"+1${n}"`,
      });
      await app.inject({ method: 'GET', url: `/v1/zips/${n}` });
      await app.inject({ method: 'GET', url: `/callers/+1${n}/route` });
    }
    t.ok(logs.lines.length >= 160, 'everything was logged');
    t.match(logs.text, /"webhook received"/);
    t.match(logs.text, /\[redacted\]/, 'the careless fields were censored');
    t.match(logs.text, /could not route \[number\]/, 'an error message keeps its shape with the number masked');
    for (const n of numbers) t.notOk(logs.text.includes(n.slice(3)), `no trace of ${n.slice(0, 6)}…`);
    t.notOk(logs.text.includes('secret-key-0123456789'), 'API keys are never logged');
  },
);

t.test('a number split over path segments is neither logged nor echoed in a 404', async (t) => {
  const { app, logs } = await shippedApp();
  t.teardown(() => app.close());
  for (const path of ['/v1/x/212/226/7834', '/v1/x/212_226_7834', '/v1/zips/212/2267834']) {
    const res = await app.inject(path);
    t.equal(res.statusCode, 404, path);
    t.notMatch(res.body.replace('/v1/', ''), /\d/, `${path}: no digits echoed`);
  }
  t.notMatch(logs.text, /226\D{0,3}7834/, 'no trace of the number in the logs');
  t.match(logs.text, /"path":"\/v1\/x\/###\/###\/####"/, 'the unmatched path is logged by its shape');
});
