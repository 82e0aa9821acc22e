import t from 'tap';
import fc from 'fast-check';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { isValidTwilioSignature, twilioSignature, type FormParams } from '../../src/twilio/signature.js';
import { shippedApp } from '../helpers/app.js';
import { dialOf, parseTwiml, postVoice } from '../helpers/twilio.js';

// Twilio's published example (its security docs and every helper library's tests).
const TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

t.test("Twilio's documented example signature", async (t) => {
  t.equal(twilioSignature(TOKEN, URL_, PARAMS), SIGNATURE);
  t.ok(isValidTwilioSignature(TOKEN, URL_, PARAMS, SIGNATURE));
  const shuffled = {
    To: PARAMS.To,
    Digits: PARAMS.Digits,
    From: PARAMS.From,
    CallSid: PARAMS.CallSid,
    Caller: PARAMS.Caller,
  };
  t.ok(isValidTwilioSignature(TOKEN, URL_, shuffled, SIGNATURE), 'parameter order does not matter');
});

t.test('anything changed fails the check', async (t) => {
  t.notOk(isValidTwilioSignature(TOKEN, URL_, { ...PARAMS, Digits: '9999' }, SIGNATURE), 'a parameter');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, { ...PARAMS, Extra: '1' }, SIGNATURE), 'an added parameter');
  t.notOk(isValidTwilioSignature(TOKEN, `${URL_}&baz=3`, PARAMS, SIGNATURE), 'the URL');
  t.notOk(isValidTwilioSignature('54321', URL_, PARAMS, SIGNATURE), 'the token');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, 'RSOYDt4T1cUTdK1PDd93/VVr8B8'), 'a truncated signature');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, undefined), 'no signature');
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, ''), 'an empty signature');
});

t.test('the default port may be spelled out or left out, as Twilio may sign either', async (t) => {
  const withPort = twilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS);
  t.ok(isValidTwilioSignature(TOKEN, URL_, PARAMS, withPort));
  t.ok(isValidTwilioSignature(TOKEN, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', PARAMS, SIGNATURE));
  const other = twilioSignature(TOKEN, 'https://mycompany.com:8443/myapp.php?foo=1&bar=2', PARAMS);
  t.notOk(isValidTwilioSignature(TOKEN, URL_, PARAMS, other), 'another port is another URL');
});

t.test('a repeated parameter signs each distinct value, sorted (the helper libraries agree)', async (t) => {
  const params = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234', '1234'] };
  t.equal(twilioSignature(TOKEN, URL_, params), 'IK+Dwps556ElfBT0I3Rgjkr1wJU=');
});

/*
 * Twilio's own helper library (the `twilio` package, a devDependency) is the oracle: the webhook
 * must accept exactly the requests its validateRequest accepts, and refuse the others. Where the
 * library throws (a URL the WHATWG parser refuses), the service refuses.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

function twilioAccepts(token: string, url: string, params: FormParams, signature: string | undefined): boolean {
  try {
    return validateRequest(token, signature ?? '', url, params);
  } catch {
    return false;
  }
}

const text = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom(
    '',
    ' ',
    "'",
    '"',
    '+',
    '%20',
    '%27',
    '%2B',
    '%',
    '&',
    '=',
    '#',
    '?',
    '/',
    'é',
    'e\u0301',
    '日本',
    '😀',
  ),
);
const paramName = fc.oneof(
  fc.constantFrom('CallSid', 'From', 'To', 'Digits', 'DialCallStatus', 'SpeechResult', 'AccountSid', 'Caller'),
  text,
);
// A name sent more than once arrives as an array, often with a value repeated.
const paramValue = fc.oneof(
  text,
  fc.array(text, { maxLength: 4 }),
  fc.array(fc.constantFrom('', '1', '1234', '5678', 'é'), { maxLength: 5 }),
);
const formParams = fc.dictionary(paramName, paramValue, { maxKeys: 6 }) as fc.Arbitrary<FormParams>;

const queryPart = fc
  .array(fc.tuple(fc.oneof(paramName, fc.constantFrom('step', 'tried', 'bodySHA256')), text, fc.boolean()), {
    maxLength: 4,
  })
  .map((pairs) =>
    pairs.map(([k, v, encoded]) => (encoded ? `${encodeURIComponent(k)}=${encodeURIComponent(v)}` : `${k}=${v}`)),
  )
  .chain((pairs) => fc.constantFrom('', `?${pairs.join('&')}`, `?${[...pairs, ...pairs].join('&')}`, '?'));
const urlParts = fc.record({
  scheme: fc.constantFrom('https://', 'http://', 'HTTPS://', 'Http://'),
  userInfo: fc.constantFrom('', 'user@', 'user:pw@'),
  host: fc.constantFrom('mycompany.com', 'MyCompany.COM', '10.0.0.5', '[::1]', '[2001:DB8::1]', 'bücher.example'),
  port: fc.constantFrom('', ':443', ':80', ':8443', ':3000', ':'),
  path: fc.oneof(
    fc.constantFrom('', '/', '/v1/twilio/voice', '/myapp.php', '/a/../b', '/a b', "/o'brien"),
    fc.array(text, { maxLength: 3 }).map((segments) => `/${segments.join('/')}`),
  ),
  query: queryPart,
  fragment: fc.constantFrom('', '', '', '#top'),
});
type UrlParts = typeof urlParts extends fc.Arbitrary<infer P> ? P : never;
const render = (p: UrlParts) => p.scheme + p.userInfo + p.host + p.port + p.path + p.query + p.fragment;
const fields = ['scheme', 'userInfo', 'host', 'port', 'path', 'query', 'fragment'] as const;

/**
 * A request as it reaches the service and the URL and parameters Twilio signed: the same, or
 * differing in a part or two (a port, the scheme, the host's case, the query's encoding…), or the
 * URL as the WHATWG parser writes it; a URL that is not one at all, now and then.
 */
const signedRequest = fc
  .record({
    token: fc.oneof(fc.constantFrom('12345', 'f3c9a2b1d4e5f60718293a4b5c6d7e8f'), fc.string({ minLength: 1 })),
    parts: urlParts,
    otherParts: urlParts,
    changed: fc.oneof(
      fc.constant([] as Array<(typeof fields)[number]>),
      fc.subarray([...fields], { minLength: 1, maxLength: 2 }),
    ),
    signedForm: fc.constantFrom('as built', 'as built', 'WHATWG', 'form-encoded query'),
    garbage: fc.oneof(
      { arbitrary: fc.constant(null), weight: 9 },
      {
        arbitrary: fc.constantFrom('not a url', '', '/v1/twilio/voice', 'http://', 'http://[::1/x'),
        weight: 1,
      },
    ),
    params: formParams,
    otherParams: formParams,
    paramsChanged: fc.constantFrom('same', 'same', 'reordered', 'other'),
    signature: fc.constantFrom('right', 'right', 'right', 'other token', 'empty', 'none', 'garbage', 'padded'),
  })
  .map((c) => {
    const url = c.garbage ?? render(c.parts);
    let signedUrl = render({ ...c.parts, ...Object.fromEntries(c.changed.map((f) => [f, c.otherParts[f]])) });
    try {
      if (c.signedForm !== 'as built') signedUrl = new URL(signedUrl).toString();
      if (c.signedForm === 'form-encoded query' && signedUrl.includes('?')) {
        const [base, query] = [signedUrl.slice(0, signedUrl.indexOf('?')), signedUrl.slice(signedUrl.indexOf('?') + 1)];
        signedUrl = `${base}?${new URLSearchParams(query).toString()}`;
      }
    } catch {
      // not a URL to the parser: signed as built
    }
    const reordered = Object.fromEntries(
      Object.entries(c.params)
        .reverse()
        .map(([k, v]) => [k, Array.isArray(v) ? [...v, ...v].reverse() : v]),
    );
    const signedParams =
      c.paramsChanged === 'other' ? c.otherParams : c.paramsChanged === 'reordered' ? reordered : c.params;
    const right = getExpectedTwilioSignature(c.token, signedUrl, signedParams);
    const signature = {
      right,
      'other token': getExpectedTwilioSignature(`${c.token}x`, signedUrl, signedParams),
      empty: '',
      none: undefined,
      garbage: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
      padded: `${right} `,
    }[c.signature];
    return { token: c.token, url, signedUrl, params: c.params, signature };
  });

t.test("the signature is computed as Twilio's library computes it", async (t) => {
  t.comment(`fast-check seed ${seed} (FUZZ_SEED to replay)`);
  fc.assert(
    fc.property(fc.string({ minLength: 1 }), fc.oneof(urlParts.map(render), text), formParams, (token, url, params) => {
      t.equal(twilioSignature(token, url, params), getExpectedTwilioSignature(token, url, params), url);
    }),
    { numRuns: RUNS, seed },
  );
});

t.test("a request is accepted exactly when Twilio's validateRequest accepts it", async (t) => {
  const outcomes = { accepted: 0, refused: 0, acceptedForAnotherSpelling: 0 };
  fc.assert(
    fc.property(signedRequest, ({ token, url, signedUrl, params, signature }) => {
      const expected = twilioAccepts(token, url, params, signature);
      outcomes[expected ? 'accepted' : 'refused']++;
      if (expected && signedUrl !== url) outcomes.acceptedForAnotherSpelling++;
      if (isValidTwilioSignature(token, url, params, signature) !== expected)
        throw new Error(`${expected ? 'refused' : 'accepted'} ${JSON.stringify({ url, params, signature })}`);
    }),
    { numRuns: RUNS * 4, seed },
  );
  t.comment(JSON.stringify(outcomes));
  t.ok(outcomes.accepted > RUNS / 4 && outcomes.refused > RUNS / 4, 'both answers were well explored');
  t.ok(outcomes.acceptedForAnotherSpelling > RUNS / 20, 'and so were the spellings of a URL Twilio tolerates');
});

t.test('the URL variants Twilio tolerates, and those it does not', async (t) => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const cases: Array<[string, string, boolean]> = [
    // [URL the request reached, URL Twilio signed, accepted]
    [url, 'https://mycompany.com:443/myapp.php?foo=1&bar=2', true],
    ['https://mycompany.com:443/myapp.php?foo=1&bar=2', url, true],
    ['https://mycompany.com:8443/myapp.php?foo=1&bar=2', url, true],
    [url, 'https://mycompany.com:8443/myapp.php?foo=1&bar=2', false],
    ['http://mycompany.com/myapp.php?foo=1&bar=2', 'http://mycompany.com:80/myapp.php?foo=1&bar=2', true],
    ['http://mycompany.com/myapp.php?foo=1&bar=2', url, false],
    ['https://MyCompany.com/myapp.php?foo=1&bar=2', url, true],
    ["https://mycompany.com/myapp.php?name=O'Brien", 'https://mycompany.com/myapp.php?name=O%27Brien', true],
    ['https://mycompany.com/myapp.php?foo=1&bar=2', 'https://mycompany.com/myapp.php?bar=2&foo=1', false],
    ['https://mycompany.com/myapp.php?foo=1&bar=2', 'https://mycompany.com/myapp.php?foo=1&bar=2&', false],
    ['https://mycompany.com', 'https://mycompany.com/', true],
  ];
  for (const [requested, signed, accepted] of cases) {
    const signature = twilioSignature(TOKEN, signed, PARAMS);
    t.equal(twilioAccepts(TOKEN, requested, PARAMS, signature), accepted, `Twilio: ${requested} for ${signed}`);
    t.equal(isValidTwilioSignature(TOKEN, requested, PARAMS, signature), accepted, `${requested} for ${signed}`);
  }
});

t.test('the webhook with TWILIO_AUTH_TOKEN set', async (t) => {
  const token = 'f3c9a2b1d4e5f60718293a4b5c6d7e8f';
  const { app, logs } = await shippedApp({
    callers: {
      twilioAuthToken: token,
      dialTimeoutSeconds: 20,
      defaultLanguage: 'en',
      wirelessZipOffer: true,
      widgetAllowedOrigins: [],
    },
  });
  t.teardown(() => app.close());
  const params = { CallSid: 'CA1', From: '+12122267834', To: '+18005550000' };

  t.test('a signed request is answered', async (t) => {
    const res = await postVoice(app, '/v1/twilio/voice', params, { authToken: token, host: 'route.example.org' });
    t.equal(res.statusCode, 200);
    const dial = dialOf(parseTwiml(res.body));
    t.match(dial.action, /^http:\/\/route\.example\.org\/v1\/twilio\/voice\?/);
    const next = await postVoice(app, dial.action, { ...params, DialCallStatus: 'no-answer' }, { authToken: token });
    t.equal(next.statusCode, 200, 'and so is Twilio signing the action URL it was given');
  });

  t.test('unsigned, forged or tampered requests get 403', async (t) => {
    const unsigned = await postVoice(app, '/v1/twilio/voice', params, { signature: null });
    t.equal(unsigned.statusCode, 403);
    t.equal(unsigned.json().error.code, 'forbidden');
    const forged = await postVoice(app, '/v1/twilio/voice', params, {
      signature: twilioSignature('not-the-token', 'http://localhost/v1/twilio/voice', params),
    });
    t.equal(forged.statusCode, 403);
    const signedFor = twilioSignature(token, 'http://localhost/v1/twilio/voice', params);
    const tampered = await postVoice(
      app,
      '/v1/twilio/voice',
      { ...params, From: 'Anonymous' },
      { signature: signedFor },
    );
    t.equal(tampered.statusCode, 403, 'parameters changed after signing');
    const otherUrl = await postVoice(app, '/v1/twilio/voice?step=dial&tried=ny-new-york', params, {
      signature: signedFor,
    });
    t.equal(otherUrl.statusCode, 403, 'a state the signature does not cover');
    t.notMatch(logs.text, /2122267834/);
    t.match(logs.text, /signature missing or invalid/);
  });
});

t.test('behind a proxy, PUBLIC_BASE_URL is the URL signed and the one actions point to', async (t) => {
  const token = 'f3c9a2b1d4e5f60718293a4b5c6d7e8f';
  const { app } = await shippedApp({
    callers: {
      twilioAuthToken: token,
      publicBaseUrl: 'https://hotline.example.org/routing',
      dialTimeoutSeconds: 20,
      defaultLanguage: 'en',
      wirelessZipOffer: true,
      widgetAllowedOrigins: [],
    },
  });
  t.teardown(() => app.close());
  const params = { CallSid: 'CA1', From: '+12122267834', To: '+18005550000' };
  const publicUrl = 'https://hotline.example.org/routing/v1/twilio/voice';
  const res = await postVoice(app, '/v1/twilio/voice', params, {
    signature: twilioSignature(token, publicUrl, params),
    host: '10.0.0.5:3000',
  });
  t.equal(res.statusCode, 200);
  const dial = dialOf(parseTwiml(res.body));
  t.match(dial.action, /^https:\/\/hotline\.example\.org\/routing\/v1\/twilio\/voice\?step=dial/);
  const internal = await postVoice(app, '/v1/twilio/voice', params, { authToken: token, host: '10.0.0.5:3000' });
  t.equal(internal.statusCode, 403, 'a signature over the internal URL is not what Twilio would send');
});
